"""Every bench firm writes the same bundle and the same oracle as before, byte for byte.

The firms judge the models on data they were never developed on, so a firm that
changes quietly makes old and new bench figures incomparable. These fingerprints
were taken from the generators as they were written (``tests/bench/*_firm.py``,
before they moved here and shared a toolkit): a refactoring must keep every
random draw in its order and every byte of output.

A fingerprint is the SHA-256 of each file ``risk_oracle`` writes for a small
firm (80 clients, 14 months, the seed ``bench_train`` uses) and of the oracle
frame (its dtypes and its CSV text, floats in full precision); ``make_bundle``
must write the same files, and the frozen fixtures unit tests read must be what
the firms write today. The hashes hold for this environment's numpy, pandas
and pyarrow (fifth's progress is Parquet, which records pyarrow's version): after
an upgrade that changes them, print new ones from a commit whose firms are known
good with ``python -m tests.bench.firms.test_firms_unchanged``.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from tests.fixtures.make_firm_fixtures import FIRM_FIXTURES, FIXTURES, FirmFixture, write_fixture

pytestmark = pytest.mark.data

CLIENTS, MONTHS = 80, 14

# (name, seed): the seed bench_train gave each firm when the fingerprints were taken;
# kept here, so that a new bench seed does not move what this test compares.
FIRMS = [
    ("other", 7),
    ("third", 11),
    ("fourth", 11),
    ("fifth", 5),
    ("sixth", 13),
    ("seventh", 17),
]

EXPECTED: dict[str, dict[str, str]] = {
    "other": {
        "churn.csv": "5865ee4ce79958181c99a48c76548dbe04386e6a10a9186a8480a91352e4f87b",
        "clients.csv": "956d6bcefdd0b39158793cd4c55c80e3044d10966f7f32c2a0fed737d4c64f64",
        "invoices.csv": "10e738c783ffcd8c51124bd1e75188ce7902a0e5d4db28400c49109710e08a2f",
        "messages.csv": "57da110fb2b600c50f14021107f889e13b5688491eb178fdc0ad59981cec15ea",
        "progress.csv": "d884826251534f0ef4df5653ece4be44426c2920994818aa875ce198a46ae65f",
        "projects.csv": "524ebe9dc4408a19a478d52c24faad961823c9f197f5ca60bdc6aa56b90f7bd6",
        "time_entries.csv": "f1cffdbbaceb725b02d5efb200c5dea18cadc0bca73d55d62597ffe18ef113cd",
        "oracle": "e8c6af80e9f5b79638f24c3d747eb4e657cf48acc6ffa5141bd973638a852c95",
    },
    "third": {
        "churn.csv": "c30562600d43dd9aacc37db8420bc50c18f7a6b154dbbd791ca103e80a706ab7",
        "clients.csv": "fb8f8bfcc27c4433255338547f1d3012d36b245f5ed14b640cc0a587eae20b7a",
        "invoices.csv": "4f78e6ebf2371ab21e9aab07b1cd731daaef3ba170e27278979fa24cbad0c226",
        "messages.csv": "a6509df667b81da92d4c924dbec4a27bd6af0a2a374598560886a4998063a716",
        "progress.csv": "24b9e86ffce1e77cca193ef2cb74c4c3a93def199a90c3994786e0c3e1d13af6",
        "projects.csv": "6934835427f201075d260104d7b4c721217dbd480108e8719461d5850dffee34",
        "time_entries.csv": "4c4734de3fc0cadb8ba9dfcc8a72299e0f498cb836d0e567a8d9fcdcdaaf058c",
        "oracle": "34f0419d071e15355d35a5f0cc36ca754fe18bb70afbe3b9c7db36a09b399855",
    },
    "fourth": {
        "churn.csv": "6e66cefcd7f9fedd03dbab3518fd03023444b4f98121ce91791ffa02f3956eef",
        "clients.csv": "61dc49d9ed45a986518f12286d1f0fdb9757e2ea6a1c7633750db2a779110bae",
        "invoices.csv": "598954f0be79fb9b5b76cedea6d704b198d3193e3e05c21399708e6f321c69b7",
        "messages.csv": "2364d068266fd5526c2ed73afd8c7ed48be348b1dd7da1307959df83d083e7b5",
        "progress.csv": "850bf72c63049da212ca8eadaffa3f48289d81cc0fc5bb2e67edca2f8073623a",
        "projects.csv": "a7741b4b47dfc63cb1eb817cd89af508cce6fade9ad99f162ff96550c20326ee",
        "time_entries.csv": "7a607f32ed099cc10e2b4753e61b4053a1475db0fb097015219534f8433da6cd",
        "oracle": "c3778d642a0e90eb7e1fcee9447125deb3adcbdf49e2c88c7f5560e2ea0f84ee",
    },
    "fifth": {
        "churn.csv": "210147bdbc4b57d3b0b31673eada596853835696c48163f97d9749dd6b063446",
        "clients.csv": "61553c38310624951403f51a1b6f6a05be5e676b0de6735686af211a972b6630",
        "invoices.csv": "b0684265c2dd4cd1302ff47f7d9269374a759703f294e5771c675fc9dcc58bb1",
        "messages.csv": "dbba7a1a1ef405e841ac88d6e9af9b0d7b72e0cb087cb1304ac9d14b81e64c47",
        "progress.parquet": "a6fe446cd9a4289907882c691b049f5ff54a16617168eaf9fe328a5ef9345efb",
        "projects.csv": "96e8fa2de7cb4f98a7892fb1b1d52ddf1782a88e3a629283fad306dcd8877ec5",
        "time_entries.csv": "4a253596236986828aa0ca9a8af0452e61f2fd9322fdd6569e05c923c2255afa",
        "oracle": "9f2c6ffe33b89776bc7ac0ab3c9a68085fea60847e40c2b978e84a76f7930d43",
    },
    "sixth": {
        "churn.csv": "a8e1283f7b68bf09dabb710590c4d52ae48a2951ff933daa324d09608b3c8846",
        "clients.csv": "5438708b00154760071e33d2799f8ba70f667dd4630b7f8652852f73ce995311",
        "invoices.csv": "6b20b2ea8384fbf9477bb41860742dc1ef13a5132178a7d258847bb79dd2b722",
        "messages.csv": "b2dc5091483aadc628db8c45b7dbe7ca534bc2eba76affaf6a06a77b9da61913",
        "progress.csv": "e7a54673e759fc266708131e92e247485082666bfbe298d9e73a3620933307b3",
        "projects.csv": "64d44c2eca28ce381dbdcbb8db109198e9fe4a88425f505a0303834056c8f93e",
        "time_entries.csv": "ba01606e8b3c151c13e8b1eb53b0bf1c76b99c7d675709a9d7a115c0fb95995b",
        "oracle": "6887362075855fb9fabda01488002f88b2f098c8ff6ca5f227db0b61cbf0aa3b",
    },
    "seventh": {
        "churn.csv": "30d478f83f5d19db5149d6a75d8743f8e8f9e7952146275e0221056847e84954",
        "clients.csv": "182b8f39301b17ce63a72957ac89166a7a922adef7248ccd0cddd20d04fa8521",
        "invoices.csv": "48262edeb90274e9f60494a94ce1ba4ddf52afdc8034ad0e081f30e14acfc5ff",
        "messages.csv": "69a81fe5fc9c7d41073286ddfbdc2c99523c8c7ca9c439d668faa4bf10560edf",
        "progress.csv": "c4625da5723af6fb44f8ebfd37ebab47c77de5d4b392108ac06e68593688dde8",
        "projects.csv": "aa2ccce4d93feaa3a30e8a2dc02be253067f5d34bfd310f75258047887e41b66",
        "time_entries.csv": "31c36a63eec962f9d1f258355a16d1f3cca65bd30a099de4ce63cf0f739fcc00",
        "oracle": "858dd8bcda0caca821b6a87598c88f122bb2262d6f258b9daeee68db7c47241f",
    },
}


def _files(folder: Path) -> dict[str, str]:
    return {path.name: _file_hash(path) for path in sorted(folder.iterdir())}


def _file_hash(path: Path) -> str:
    # A Parquet file by what it holds: its bytes name the pandas and pyarrow that wrote
    # it (pandas 3.1.1 -> 3.1.2 on the package index moved them, nothing else).
    if path.suffix == ".parquet":
        return _frame_hash(pd.read_parquet(path))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _frame_hash(frame: pd.DataFrame) -> str:
    # Floats to 10 decimals: numpy's vectorised exp and log differ in the last bit
    # between CPUs (AVX-512 or not); a moved random draw moves far more than that.
    floats = frame.select_dtypes("float").columns
    frame = frame.assign(**{str(c): frame[c].round(10) + 0.0 for c in floats})
    text = repr(dict(frame.dtypes.astype(str))) + frame.to_csv(index=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _firm(name: str) -> ModuleType:
    return importlib.import_module(f"tests.bench.firms.{name}")


def fingerprint(name: str, seed: int, folder: Path) -> dict[str, str]:
    """SHA-256 of every file ``risk_oracle`` writes into ``folder`` and of its frame."""
    oracle = _firm(name).risk_oracle(folder, clients=CLIENTS, months=MONTHS, seed=seed)
    return {**_files(folder), "oracle": _frame_hash(oracle)}


@pytest.mark.bench_firms
@pytest.mark.parametrize(("name", "seed"), FIRMS)
def test_risk_oracle_is_unchanged(name: str, seed: int, tmp_path: Path) -> None:
    assert fingerprint(name, seed, tmp_path / "bundle") == EXPECTED[name]


@pytest.mark.bench_firms
@pytest.mark.parametrize(("name", "seed"), FIRMS)
def test_make_bundle_writes_what_risk_oracle_writes(name: str, seed: int, tmp_path: Path) -> None:
    _firm(name).make_bundle(tmp_path / "bundle", clients=CLIENTS, months=MONTHS, seed=seed)
    expected = {k: v for k, v in EXPECTED[name].items() if k != "oracle"}
    assert _files(tmp_path / "bundle") == expected


@pytest.mark.bench_firms
@pytest.mark.parametrize("fixture", FIRM_FIXTURES, ids=lambda fixture: fixture.name)
def test_frozen_fixtures_are_what_the_firms_write(fixture: FirmFixture, tmp_path: Path) -> None:
    write_fixture(fixture, tmp_path / fixture.name)
    assert _files(tmp_path / fixture.name) == _files(FIXTURES / fixture.name)


if __name__ == "__main__":
    import pprint
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pprint.pprint(
            {name: fingerprint(name, seed, Path(tmp) / name) for name, seed in FIRMS},
            sort_dicts=False,
            width=100,
        )
