"""Loading export bundles: the contract's awkward corners and a corpus of broken bundles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from features import BundleError, load_bundle
from features.bundle.parse import STRING
from features.bundle.validation import MAX_PROBLEMS

pytestmark = pytest.mark.unit

# A small valid bundle, written the way real exports are: quoted multi-line
# texts, ids that look like numbers, timestamps with and without a zone.
VALID = {
    "clients.csv": (
        "client_id,name,account_lead,client_since,language,crm_owner\n"
        '007,"Acme, Inc.",lead@firm.example,2024-01-15,en,sales-1\n'
        "C-2,Müller GmbH,lead@firm.example,2023-06-01,de,sales-2\n"
        "C-3,Quiet Ltd,lead2@firm.example,2024-03-01,,sales-1\n"
    ),
    "projects.csv": (
        "project_id,client_id,name,pm,billing_model,budget,start_date,end_date,closed_at\n"
        "P-1,007,Rollout,pm@firm.example,fixed_fee,50000,2024-02-01,2024-08-01,\n"
        "P-2,C-2,Migration,pm@firm.example,time_and_materials,120000.50,2024-01-01,2024-12-31,\n"
        "P-3,C-3,Retainer,pm2@firm.example,retainer,24000,2024-03-01,2025-02-28,2024-09-30\n"
    ),
    "progress.csv": (
        "project_id,reported_at,percent_complete\n"
        "P-1,2024-03-01,10\n"
        "P-1,2024-04-01,35.5\n"
        "P-2,2024-02-01,5\n"
    ),
    "time_entries.csv": (
        "entry_id,project_id,worked_on,hours,billable,amount,person,invoice_id\n"
        "1,P-1,2024-02-05,7.5,true,900,Ann,\n"
        "2,P-2,2024-02-06,8,TRUE,1200,Bob,INV-2\n"
        "3,P-2,2024-02-07,2,false,0,Bob,\n"
    ),
    "invoices.csv": (
        "invoice_id,client_id,project_id,issued_at,due_at,amount,paid_at,disputed_at\n"
        "INV-1,007,P-1,2024-03-01,2024-03-31,5000,2024-03-20,\n"
        "INV-2,C-2,P-2,2024-03-01,2024-03-15,1200,,2024-03-10\n"
        "INV-3,C-3,,2024-04-01,2024-05-01,2000,,\n"
    ),
    "messages.csv": (
        "message_id,client_id,sent_at,channel,direction,text,author,score\n"
        'M-1,007,2024-03-02T10:15:00Z,email,inbound,"We said ""thanks"", and\n'
        'meant it, truly.",Kim,\n'
        "M-2,C-2,2024-03-03 09:30,chat,inbound,Wofür bezahlen wir?,Jan,\n"
        "M-3,C-2,2024-03-04T23:30:00-02:00,survey,inbound,,Jan,6\n"
        "M-4,C-3,2024-03-05T08:00:00+01:00,call,outbound,,pm2,\n"
    ),
    "churn.csv": "client_id,churned_at,reason\nC-3,2024-10-01,Budget\n",
}


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    return write(tmp_path / "bundle", dict(VALID))


def test_valid_bundle_loads_with_contract_types(valid: Path) -> None:
    bundle = load_bundle(valid)
    clients = bundle.clients
    assert list(clients["client_id"]) == ["007", "C-2", "C-3"]  # ids stay strings
    assert isinstance(clients["client_id"].dtype, pd.StringDtype)
    assert clients.loc[0, "name"] == "Acme, Inc."
    assert clients["client_since"].dtype == "datetime64[ns]"
    assert "crm_owner" in clients.columns  # unknown columns kept
    assert clients["industry"].isna().all()  # optional column absent from the header
    assert bundle.projects["budget"].tolist() == [50000.0, 120000.5, 24000.0]
    assert bundle.time_entries["billable"].tolist() == [True, True, False]
    assert bundle.invoices["disputed_at"].isna().tolist() == [True, False, True]
    assert pd.isna(bundle.invoices.loc[2, "project_id"])


def test_texts_keep_quotes_commas_and_line_breaks(valid: Path) -> None:
    messages = load_bundle(valid).messages
    assert messages.loc[0, "text"] == 'We said "thanks", and\nmeant it, truly.'
    assert pd.isna(messages.loc[2, "text"])  # a survey answered with a score alone
    assert messages.loc[2, "score"] == 6


def test_timestamps_with_or_without_zone_are_utc(valid: Path) -> None:
    sent = load_bundle(valid).messages["sent_at"]
    assert str(sent.dtype) == "datetime64[ns, UTC]"
    assert sent.tolist() == [
        pd.Timestamp("2024-03-02T10:15:00Z"),
        pd.Timestamp("2024-03-03T09:30:00Z"),  # no zone: UTC by the contract
        pd.Timestamp("2024-03-05T01:30:00Z"),  # -02:00, the next day in UTC
        pd.Timestamp("2024-03-05T07:00:00Z"),
    ]


def test_windows_line_endings_and_byte_order_mark(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        name: ("\ufeff" if name == "clients.csv" else "") + text.replace("\n", "\r\n")
        for name, text in VALID.items()
    }
    bundle = load_bundle(write(tmp_path / "windows", files))
    assert list(bundle.clients.columns[:2]) == ["client_id", "name"]
    assert list(bundle.clients["client_id"]) == ["007", "C-2", "C-3"]
    assert bundle.messages["text"].iloc[0] == 'We said "thanks", and\r\nmeant it, truly.'


def test_domains_and_contacts_load_normalised(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(VALID)
    files["clients.csv"] = (
        "client_id,name,account_lead,client_since,domains\n"
        "007,Acme,lead@firm.example,2024-01-15, Acme.com ;acme.de;acme.com\n"
        "C-2,Müller,lead@firm.example,2023-06-01,\n"
        "C-3,Quiet,lead2@firm.example,2024-03-01,quiet.io\n"
    )
    files["contacts.csv"] = "client_id,email,name,role\nC-2,Jan.Mueller@GMX.de,Jan,CFO\n"
    bundle = load_bundle(write(tmp_path / "bundle", files))
    assert list(bundle.clients["domains"].fillna("")) == ["acme.com;acme.de", "", "quiet.io"]
    assert bundle.contacts.to_dict("records") == [
        {"client_id": "C-2", "email": "jan.mueller@gmx.de", "name": "Jan", "role": "CFO"}
    ]
    # Contacts are reference data for mail import, not a source of signals.
    assert "contacts" not in bundle.sources


def test_a_bundle_without_contacts_or_domains_loads(valid: Path) -> None:
    bundle = load_bundle(valid)
    assert bundle.contacts.empty
    assert list(bundle.contacts.columns) == ["client_id", "email", "name", "role"]
    assert bundle.clients["domains"].isna().all()
    assert "domains" in bundle.absent_columns["clients"]


def test_header_only_sources_and_absent_churn(valid: Path) -> None:
    (valid / "churn.csv").unlink()
    for name in ("progress", "time_entries", "messages"):
        path = valid / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    bundle = load_bundle(valid)
    assert bundle.sources == {
        "clients": True,
        "projects": True,
        "progress": False,
        "time_entries": False,
        "invoices": True,
        "messages": False,
        "churn": False,
    }
    assert bundle.files["churn"] == ""
    assert list(bundle.churn.columns) == ["client_id", "churned_at", "reason"]
    assert bundle.messages["sent_at"].dtype == "datetime64[ns, UTC]"


def test_parquet_files_are_read_with_their_types(valid: Path) -> None:
    (valid / "progress.csv").unlink()
    table = pa.table(
        {
            "project_id": pa.array(["P-1", "P-2"]),
            "reported_at": pa.array([pd.Timestamp("2024-03-01").date()] * 2, type=pa.date32()),
            "percent_complete": pa.array([12.5, 40.0]),
        }
    )
    pq.write_table(table, valid / "progress.parquet")
    bundle = load_bundle(valid)
    assert bundle.files["progress"] == "progress.parquet"
    assert bundle.progress["reported_at"].tolist() == [pd.Timestamp("2024-03-01")] * 2
    assert bundle.progress["percent_complete"].tolist() == [12.5, 40.0]


def test_sample_bundle_loads(sample_bundle_path: Path) -> None:
    bundle = load_bundle(sample_bundle_path)
    assert len(bundle.clients) == 80
    assert bundle.files["progress"] == "progress.parquet"
    assert "crm_owner" in bundle.clients.columns
    multi_line = bundle.messages["text"].str.contains("\n", regex=False).fillna(False)
    assert multi_line.any()


# --- the corpus of broken bundles: one defect each, located exactly -------------------

Edit = Callable[[dict[str, str | bytes]], None]


def replace(file: str, old: str, new: str) -> Edit:
    def edit(files: dict[str, str | bytes]) -> None:
        text = files[file]
        assert isinstance(text, str)
        assert old in text, f"{old!r} not in {file}"
        files[file] = text.replace(old, new, 1)

    return edit


def drop(file: str) -> Edit:
    def edit(files: dict[str, str | bytes]) -> None:
        del files[file]

    return edit


def cp1252(file: str, old: str, new: str) -> Edit:
    def edit(files: dict[str, str | bytes]) -> None:
        text = files[file]
        assert isinstance(text, str)
        files[file] = text.replace(old, new, 1).encode("cp1252")

    return edit


def semicolons(file: str) -> Edit:
    def edit(files: dict[str, str | bytes]) -> None:
        text = files[file]
        assert isinstance(text, str)
        files[file] = text.replace(",", ";")

    return edit


def one_domain_two_clients(files: dict[str, str | bytes]) -> None:
    files["clients.csv"] = (
        "client_id,name,account_lead,client_since,domains\n"
        "007,Acme,lead@firm.example,2024-01-15,acme.com;acme.de\n"
        "C-2,Müller,lead@firm.example,2023-06-01,mueller.de\n"
        "C-3,Quiet,lead2@firm.example,2024-03-01,quiet.io; ACME.de\n"
    )


# (id, edit, file, row, column, words the message must contain)
DEFECTS: list[tuple[str, Edit, str, int | None, str | None, str]] = [
    ("missing-file", drop("projects.csv"), "projects.csv", None, None, "file missing"),
    (
        "missing-column",
        replace("invoices.csv", ",amount,", ",total,"),
        "invoices.csv",
        1,
        "amount",
        "required column missing",
    ),
    (
        "bad-date",
        replace("invoices.csv", "2024-04-01,2024-05-01", "2024-13-01,2024-05-01"),
        "invoices.csv",
        4,
        "issued_at",
        "is not a date",
    ),
    (
        "german-date",
        replace("clients.csv", "2023-06-01", "01.06.2023"),
        "clients.csv",
        3,
        "client_since",
        "German",
    ),
    (
        "decimal-comma",
        replace("projects.csv", "120000.50", '"120000,50"'),
        "projects.csv",
        3,
        "budget",
        "decimal comma",
    ),
    (
        "semicolon-separator",
        semicolons("time_entries.csv"),
        "time_entries.csv",
        1,
        None,
        "';' as the separator",
    ),
    (
        "cp1252-text",
        cp1252("messages.csv", "Wofür bezahlen wir?", "Wofür zahlen wir?"),
        "messages.csv",
        3,
        "text",
        "Windows-1252",
    ),
    (
        "german-boolean",
        replace("time_entries.csv", ",TRUE,", ",wahr,"),
        "time_entries.csv",
        3,
        "billable",
        "German",
    ),
    (
        "bad-enum",
        replace("projects.csv", "retainer,24000", "hourly,24000"),
        "projects.csv",
        4,
        "billing_model",
        "not one of fixed_fee",
    ),
    (
        "bad-channel",
        replace("messages.csv", ",chat,", ",fax,"),
        "messages.csv",
        3,
        "channel",
        "not one of",
    ),
    (
        "bad-timestamp",
        replace("messages.csv", "2024-03-03 09:30", "yesterday"),
        "messages.csv",
        3,
        "sent_at",
        "is not a timestamp",
    ),
    (
        "bad-number",
        replace("time_entries.csv", "7.5,true", "seven,true"),
        "time_entries.csv",
        2,
        "hours",
        "is not a number",
    ),
    (
        "bad-email",
        replace("clients.csv", "lead2@firm.example", "Lead Two"),
        "clients.csv",
        4,
        "account_lead",
        "not an email",
    ),
    (
        "empty-id",
        replace("invoices.csv", "INV-3,", ","),
        "invoices.csv",
        4,
        "invoice_id",
        "is empty",
    ),
    (
        "duplicate-id",
        replace("invoices.csv", "INV-3,", "INV-1,"),
        "invoices.csv",
        4,
        "invoice_id",
        "duplicate id 'INV-1' (first at row 2)",
    ),
    (
        "unknown-client",
        replace("projects.csv", "P-3,C-3", "P-3,C-9"),
        "projects.csv",
        4,
        "client_id",
        "'C-9' matches no client_id in clients.csv",
    ),
    (
        "unknown-project",
        replace("time_entries.csv", "1,P-1", "1,P-7"),
        "time_entries.csv",
        2,
        "project_id",
        "matches no project_id in projects.csv",
    ),
    (
        "unknown-invoice",
        replace("time_entries.csv", "Bob,INV-2", "Bob,INV-9"),
        "time_entries.csv",
        3,
        "invoice_id",
        "matches no invoice_id",
    ),
    (
        "project-of-other-client",
        replace("invoices.csv", "INV-1,007,P-1", "INV-1,007,P-2"),
        "invoices.csv",
        2,
        "project_id",
        "belongs to client 'C-2'",
    ),
    (
        "due-before-issue",
        replace("invoices.csv", "2024-03-01,2024-03-15", "2024-03-01,2024-02-15"),
        "invoices.csv",
        3,
        "due_at",
        "before issued_at",
    ),
    (
        "progress-over-100",
        replace("progress.csv", "35.5", "135.5"),
        "progress.csv",
        3,
        "percent_complete",
        "at most 100",
    ),
    (
        "negative-hours",
        replace("time_entries.csv", "2,false", "-2,false"),
        "time_entries.csv",
        4,
        "hours",
        "at least 0",
    ),
    (
        "negative-amount",
        replace("time_entries.csv", "true,900", "true,-900"),
        "time_entries.csv",
        2,
        "amount",
        "at least 0",
    ),
    (
        "zero-budget",
        replace("projects.csv", "fixed_fee,50000", "fixed_fee,0"),
        "projects.csv",
        2,
        "budget",
        "greater than 0",
    ),
    (
        "extra-field",
        replace("progress.csv", "P-2,2024-02-01,5", "P-2,2024-02-01,5,x"),
        "progress.csv",
        4,
        None,
        "4 fields where the header has 3",
    ),
    (
        "clients-header-only",
        lambda f: f.update({"clients.csv": "client_id,name,account_lead,client_since\n"}),
        "clients.csv",
        None,
        None,
        "no rows",
    ),
    (
        "survey-score",
        replace("messages.csv", "Jan,6", "Jan,11"),
        "messages.csv",
        4,
        "score",
        "at most 10",
    ),
    # Values the service could not store are refused where they are, not by the database.
    (
        "id-too-long",
        replace("clients.csv", "C-3,Quiet Ltd", "C" * 201 + ",Quiet Ltd"),
        "clients.csv",
        4,
        "client_id",
        "201 characters long; ids are at most 200",
    ),
    (
        "email-too-long",
        replace("clients.csv", "lead2@firm.example", "a" * 310 + "@firm.example"),
        "clients.csv",
        4,
        "account_lead",
        "addresses are at most 320",
    ),
    (
        "line-items-too-large",
        lambda f: f.update(
            {
                "invoices.csv": "invoice_id,client_id,issued_at,due_at,amount,line_items\n"
                "INV-1,007,2024-03-01,2024-03-31,5000,3\n"
                "INV-2,C-2,2024-03-01,2024-03-15,1200,2147483648\n"
            }
        ),
        "invoices.csv",
        3,
        "line_items",
        "2147483648 is out of range: expected at most 2147483647",
    ),
    (
        "text-too-long",
        replace("messages.csv", "Wofür bezahlen wir?", "x" * 100_001),
        "messages.csv",
        3,
        "text",
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is 100,001 characters long; "
        "a text is at most 100,000",
    ),
    (
        "unknown-client-id-quoted-short",
        replace("projects.csv", "P-3,C-3", "P-3," + "Z" * 150),
        "projects.csv",
        4,
        "client_id",
        "'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ...' matches no client_id",
    ),
    # Mail import attributes a message by address, then domain: each belongs to one client.
    (
        "domain-of-two-clients",
        one_domain_two_clients,
        "clients.csv",
        4,
        "domains",
        "domain 'acme.de' is also listed for client '007' (row 2)",
    ),
    (
        "domain-of-two-clients-both-rows",
        one_domain_two_clients,
        "clients.csv",
        2,
        "domains",
        "domain 'acme.de' is also listed for client 'C-3' (row 4)",
    ),
    (
        "not-a-domain",
        lambda f: f.update(
            {
                "clients.csv": "client_id,name,account_lead,client_since,domains\n"
                "007,Acme,lead@firm.example,2024-01-15,@acme.com\n"
                "C-2,Müller,lead@firm.example,2023-06-01,\n"
                "C-3,Quiet,lead2@firm.example,2024-03-01,\n"
            }
        ),
        "clients.csv",
        2,
        "domains",
        "is not a list of email domains",
    ),
    (
        "contact-of-two-clients",
        lambda f: f.update(
            {
                "contacts.csv": "client_id,email,name,role\n"
                "007,kim@gmail.com,Kim,CFO\n"
                "C-2,Kim@GMail.com,Kim,\n"
            }
        ),
        "contacts.csv",
        3,
        "email",
        "duplicate address 'kim@gmail.com' (first at row 2)",
    ),
    (
        "contact-of-unknown-client",
        lambda f: f.update({"contacts.csv": "client_id,email\nC-9,jo@acme.com\n"}),
        "contacts.csv",
        2,
        "client_id",
        "'C-9' matches no client_id in clients.csv",
    ),
    (
        "contact-not-an-address",
        lambda f: f.update({"contacts.csv": "client_id,email\n007,Jo Smith\n"}),
        "contacts.csv",
        2,
        "email",
        "not an email",
    ),
]


@pytest.mark.parametrize(
    ("edit", "file", "row", "column", "words"),
    [d[1:] for d in DEFECTS],
    ids=[d[0] for d in DEFECTS],
)
def test_each_defect_is_located(
    tmp_path: Path, edit: Edit, file: str, row: int | None, column: str | None, words: str
) -> None:
    files: dict[str, str | bytes] = dict(VALID)
    edit(files)
    with pytest.raises(BundleError) as caught:
        load_bundle(write(tmp_path / "broken", files))
    problems = caught.value.problems
    matching = [p for p in problems if (p.file, p.row, p.column) == (file, row, column)]
    assert matching, f"expected {file} row {row} column {column}, got:\n{caught.value.report()}"
    assert words in str(matching[0]), str(matching[0])


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(VALID)
    for _, edit, *_ in (DEFECTS[2], DEFECTS[8], DEFECTS[20]):
        edit(files)
    with pytest.raises(BundleError) as caught:
        load_bundle(write(tmp_path / "broken", files))
    located = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert {
        ("invoices.csv", 4, "issued_at"),
        ("projects.csv", 4, "billing_model"),
        ("progress.csv", 3, "percent_complete"),
    } <= located
    assert str(caught.value).startswith("3 problems in the bundle:")


def test_problems_are_capped_and_the_rest_counted(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(VALID)
    header = "entry_id,project_id,worked_on,hours,billable,amount\n"
    files["time_entries.csv"] = header + "".join(
        f"{i},P-1,2024-02-05,-1,true,10\n" for i in range(MAX_PROBLEMS + 50)
    )
    with pytest.raises(BundleError) as caught:
        load_bundle(write(tmp_path / "broken", files))
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.total == MAX_PROBLEMS + 50
    assert caught.value.report().endswith("... and 50 more")


def test_rows_count_records_not_lines(tmp_path: Path) -> None:
    # M-1's text spans two lines; M-2 is still row 3, as a spreadsheet shows it.
    files: dict[str, str | bytes] = dict(VALID)
    replace("messages.csv", "M-2,C-2", "M-2,C-404")(files)
    with pytest.raises(BundleError) as caught:
        load_bundle(write(tmp_path / "broken", files))
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "client_id")]


def test_parquet_problems_name_the_record(valid: Path) -> None:
    (valid / "progress.csv").unlink()
    frame = pd.DataFrame(
        {
            "project_id": pd.Series(["P-1", "P-2"], dtype=STRING),
            "reported_at": pd.to_datetime(["2024-03-01", "2024-03-02"]),
            "percent_complete": [50.0, -5.0],
        }
    )
    frame.to_parquet(valid / "progress.parquet")
    with pytest.raises(BundleError) as caught:
        load_bundle(valid)
    assert [str(p) for p in caught.value.problems] == [
        "progress.parquet record 2, column percent_complete: -5 is out of range: "
        "expected at least 0"
    ]


def test_both_csv_and_parquet_is_ambiguous(valid: Path) -> None:
    pd.read_csv(valid / "progress.csv").to_parquet(valid / "progress.parquet")
    with pytest.raises(BundleError, match=r"both progress\.csv and progress\.parquet"):
        load_bundle(valid)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="is not a folder"):
        load_bundle(tmp_path / "nowhere")


def test_emails_are_compared_in_lower_case() -> None:
    """Keys, scoping and the PM cap compare addresses exactly: one person, one spelling."""
    from features.bundle.contract import FILES
    from features.bundle.parse import parse_frame

    raw = pd.DataFrame(
        {
            "client_id": ["C1"],
            "name": ["Acme"],
            "account_lead": [" Anna.Schmidt@Firm.DE "],
            "client_since": ["2025-01-06"],
        }
    )
    assert parse_frame(FILES["clients"], raw, "clients.csv")["account_lead"].tolist() == [
        "anna.schmidt@firm.de"
    ]
