"""The analysts' notebooks run top to bottom on a small demo firm, and are stored clean.

The firm is built once for the module, as ``make demo`` builds one: a simulated
bundle, trained and registered in MLflow, loaded into the app database, scored
for 16 weeks with thresholds low enough to open flags, and given hindsight
feedback. Each notebook then runs in a fresh kernel of this interpreter, its
``parameters`` cell rewritten (papermill-style) to point at the firm; any error
in any cell fails the test.
"""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbclient
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = ("01_explore.ipynb", "02_retrain.ipynb", "03_monitor.ipynb")

#: Thresholds that flag some of the small firm's clients (as in test_cli_engine).
THRESHOLDS = {
    "RISK_DISPUTE_ELEVATED": "0.02",
    "RISK_DISPUTE_HIGH": "0.3",
    "RISK_CHURN_ELEVATED": "0.005",
    "RISK_CHURN_HIGH": "0.03",
}
#: Empty beats a developer's .env or shell: every store stays under the test's home.
ISOLATED = {"RISK_DATABASE_URL": "", "MLFLOW_TRACKING_URI": ""}
#: One thread per native pool: on a small shared machine, OpenMP's default (a
#: thread per core) oversubscribes it and gradient boosting runs several times slower.
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class DemoFirm:
    bundle: Path
    home: Path

    def parameters(self) -> dict[str, object]:
        return {
            "BUNDLE": str(self.bundle),
            "HOME": str(self.home),
            "TRACKING_URI": f"sqlite:///{self.home / 'mlflow.db'}",
            "DATABASE_URL": f"sqlite:///{self.home / 'risk.store.db'}",
        }


@pytest.fixture(scope="module")
def demo_firm(tmp_path_factory: pytest.TempPathFactory) -> DemoFirm:
    import sklearn.ensemble  # noqa: F401  (loads the OpenMP runtime that threadpool_limits caps)
    from threadpoolctl import threadpool_limits
    from typer.testing import CliRunner

    from features.simulation import simulate, write_bundle
    from service.cli import app

    folder = tmp_path_factory.mktemp("notebooks")
    bundle = write_bundle(simulate(clients=150, months=18, seed=11).bundle, folder / "bundle")
    home = folder / "home"
    runner = CliRunner()
    steps = (
        ["train", str(bundle)],
        ["load", str(bundle)],
        ["score", "--weeks", "16", "--top", "0"],
        ["demo-feedback", "--share", "1"],
    )
    with threadpool_limits(1):
        for step in steps:
            result = runner.invoke(
                app, ["--home", str(home), *step], env={**THRESHOLDS, **ISOLATED}
            )
            assert result.exit_code == 0, f"risk {' '.join(step)}:\n{result.output}"
    return DemoFirm(bundle=bundle, home=home)


def parameter_names(source: str) -> set[str]:
    """The names a parameters cell assigns."""
    return {
        target.id
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def inject(notebook: NotebookNode, values: dict[str, object]) -> None:
    """Papermill-style: append ``values`` to the ``parameters`` cell, for the names it has."""
    cell = next(c for c in notebook.cells if c.cell_type == "code")
    assert "parameters" in cell.metadata.get("tags", []), "first code cell is not `parameters`"
    known = parameter_names(cell.source)
    lines = [f"{name} = {value!r}" for name, value in values.items() if name in known]
    cell.source += "\n# injected by tests/test_notebooks.py\n" + "\n".join(lines) + "\n"


def run_notebook(name: str, values: dict[str, object]) -> NotebookNode:
    """Execute notebook ``name`` with ``values`` injected, from the notebooks folder (as
    Jupyter would), in a kernel that must be this interpreter; raise on any error."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    inject(notebook, values)
    # Before everything: a kernel of another Python would fail later, and less clearly.
    check = f"import sys\nassert sys.prefix == {sys.prefix!r}, sys.prefix"
    notebook.cells.insert(0, nbformat.v4.new_code_cell(check))
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute(env={**os.environ, **THREADS})
    return notebook


def outputs_of(notebook: NotebookNode, kind: str) -> list[NotebookNode]:
    """The outputs of ``notebook`` that hold ``kind`` (a MIME type)."""
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if kind in output.get("data", {})
    ]


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_stored_clean_with_parameters_first(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, f"{name} has no code"
    assert "parameters" in code[0].metadata.get("tags", []), f"{name}: first code cell untagged"
    assert parameter_names(code[0].source), f"{name}: the parameters cell assigns nothing"
    for index, cell in enumerate(code):
        assert cell.outputs == [], f"{name}: code cell {index} is stored with outputs"
        assert cell.execution_count is None, f"{name}: code cell {index} has an execution count"


def test_every_notebook_is_checked() -> None:
    assert sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.slow
def test_explore_runs(demo_firm: DemoFirm) -> None:
    notebook = run_notebook("01_explore.ipynb", demo_firm.parameters())
    assert len(outputs_of(notebook, "image/png")) >= 3


@pytest.mark.slow
def test_retrain_runs_and_registers_a_decided_challenger(demo_firm: DemoFirm) -> None:
    notebook = run_notebook("02_retrain.ipynb", demo_firm.parameters())
    assert outputs_of(notebook, "image/png")

    from features.risks import RISKS
    from models import registry

    client = registry.connect(str(demo_firm.parameters()["TRACKING_URI"]))
    for name in (risk.model_name for risk in RISKS):
        tags = client.get_model_version(name, "2").tags
        # The same data and parameters as `risk train`: a tie, so not promoted.
        assert tags["role"] == "challenger", tags
        assert "does not beat" in tags["not_promoted_because"]
        assert str(client.get_model_version_by_alias(name, registry.CHAMPION).version) == "1"


@pytest.mark.slow
def test_monitor_runs(demo_firm: DemoFirm) -> None:
    notebook = run_notebook("03_monitor.ipynb", demo_firm.parameters())
    assert len(outputs_of(notebook, "image/png")) >= 4


@pytest.mark.slow
def test_monitor_fails_without_scores(tmp_path: Path) -> None:
    from risk.store.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'risk.store.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    with pytest.raises(CellExecutionError, match="no scores"):
        run_notebook("03_monitor.ipynb", {"HOME": str(tmp_path), "DATABASE_URL": url})


def test_event_profile_lines_signals_up_on_the_next_event() -> None:
    import pandas as pd

    from models.profiles import event_profile

    rows = [
        ("a", "2025-01-01", 4.0),  # 28 days before the event: week 4
        ("a", "2025-01-15", 2.0),  # 14 days: week 2
        ("a", "2025-01-22", 1.0),  # 7 days: week 1
        ("a", "2025-01-29", 9.0),  # the event's own day: not before it (and none after)
        ("b", "2025-01-01", 10.0),  # b never has the event: the baseline
        ("b", "2025-01-22", 20.0),
    ]
    index = pd.MultiIndex.from_arrays(
        [[r[0] for r in rows], pd.to_datetime([r[1] for r in rows])], names=["client_id", "as_of"]
    )
    features = pd.DataFrame({"signal": [r[2] for r in rows]}, index=index)
    events = pd.DataFrame({"client_id": ["a"], "day": pd.to_datetime(["2025-01-29"])})
    profile = event_profile(features, events, ["signal"], weeks=5)
    before = profile.before["signal"]
    assert before.loc[[1, 2, 4]].tolist() == [1.0, 2.0, 4.0]
    assert before.loc[[3, 5]].isna().all()
    assert profile.rows.tolist() == [1, 1, 0, 1, 0]
    assert profile.baseline["signal"] == 15.0


def test_dropped_features_are_blanked_and_unknown_ones_refused() -> None:
    import pandas as pd

    from models.challenge import without_features
    from models.dataset import TrainingSet

    index = pd.MultiIndex.from_tuples(
        [("a", pd.Timestamp("2025-01-01"))], names=["client_id", "as_of"]
    )
    data = TrainingSet(
        pd.DataFrame({"silence_ratio": [2.0], "tenure_days": [30.0]}, index=index),
        pd.DataFrame({"dispute_30d": [0.0]}, index=index),
    )
    blanked = without_features(data, ["silence_ratio"])
    assert blanked.features["silence_ratio"].tolist() == [0.0]
    assert blanked.features["tenure_days"].tolist() == [30.0]
    assert data.features["silence_ratio"].tolist() == [2.0]  # the original is untouched
    with pytest.raises(ValueError, match="no_such_feature"):
        without_features(data, ["no_such_feature"])


def test_relative_paths_are_read_from_the_project_root(tmp_path: Path) -> None:
    from models.paths import project_path

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "notebooks").mkdir()
    root = tmp_path.resolve()
    assert project_path("demo/bundle", start=tmp_path / "notebooks") == root / "demo/bundle"
    assert project_path(tmp_path / "x", start="/") == tmp_path / "x"
