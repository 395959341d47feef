"""The simulator's output, byte for byte, as it was before it was split into a package.

The digests below were recorded from ``features/simulation.py`` as it stood
before the split: moving code around must not move a single random draw. They
cover every file ``write_bundle`` writes and the ground truth a ``Simulation``
carries. Parquet files name the pyarrow that wrote them (``created_by``), so a
pyarrow upgrade changes those digests: record them again from unchanged code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import numpy as np
import pytest

from features.simulation import Simulation, simulate, write_bundle

pytestmark = pytest.mark.data

Case = tuple[int, int, int, str, Literal["csv", "parquet"]]

# (clients, months, seed, start, format): a firm so small that some arrays are
# empty, the test fixture's and the demo's sizes, both formats, and a start on a
# Wednesday before a leap day (the first Monday and the month starts shift).
RECORDED: dict[Case, dict[str, str]] = {
    (3, 2, 1, "2025-01-06", "csv"): {
        "churn.csv": "477caab0b51df0024e344753e5fd420a4cb58e7cd1ff14032026876564d72447",
        "clients.csv": "03039ba9d3ed615566e671762bed30a301715a9985b63b04962b173930bcd54b",
        "contacts.csv": "bab4b784c3746e6a932f0eec79e5aace48d03f09dab08fc16c5fb499587d6c46",
        "invoices.csv": "8a10566b70301b7c11119482c0ca2cfd800a92e85ef7321863b94003b0493f44",
        "messages.csv": "80a035bebc4f7c4a20444186c54ee72cef5f379e3a45a749cb02424f29058b8e",
        "progress.csv": "d57c80bb15f2feabdf2aeefd87c51a8f7429115867d041a69ba3608869c8519b",
        "projects.csv": "c555a31dff01ca8bd9fae31cc19b07b1b1f4490bd6f4bd8b51dc3139053bad13",
        "time_entries.csv": "10b1c4b7fb04fca16b832afdd960650ddc20942e078611288cc3b013e561e1a2",
        "message_topics": "26a6e2ddd7f4dd128b044952f60bed4ca858938d8be22791c913cba3a24863ec",
        "health": "acc1626a8ee41ae9609881094cb437af5118ba2397692d7751e320852ab4b832",
        "weeks": "c62b8ab8e1eb10eacd434f8202ac0d675788332b15f2b2d3044b9ce6747bbb6e",
    },
    (60, 6, 0, "2025-01-06", "csv"): {
        "churn.csv": "21752eae2e0021a20c43ae11739851c8b60dc938e0ce2fdee1b4df836768e29f",
        "clients.csv": "6e11fcc733bc9ab51b2662dbe4f3ccd9dfc1129664ca34b69340ef3a6227f7a2",
        "contacts.csv": "bab4b784c3746e6a932f0eec79e5aace48d03f09dab08fc16c5fb499587d6c46",
        "invoices.csv": "55589b9daba9ae86543aec237a00642f6aba1031b8abb6cf0fdd2a679141ffe8",
        "messages.csv": "f82f4969b49fb9f627b0f677baa002f3bd4aeb8f26972e1d981c5f6b9748e548",
        "progress.csv": "bd38254ff7bf44c1836f81138f15b88b2d7e24a4b25d0e3aeb4c1ea2786d2ea0",
        "projects.csv": "ced4ed60d9c29b2b5e99cbca7242ebed1c3b32c556a1abd84672af6e8f7a3edb",
        "time_entries.csv": "4210891c9ec73c562854cd356e3185a74d4a8f0519e91880fffdc875f02ec639",
        "message_topics": "d015826c8abcfc99d4b746edac12d223c800a13a270e1f56524ef6cfd0069afd",
        "health": "feae132566745e2fcb68853aada6f4f1476bff6ab7bba327f1b71ad31c389881",
        "weeks": "199ecfc676cbefabdf388b7dc27bb6b70654c956b3733bcf817ef24cb9b4f05f",
    },
    (60, 6, 0, "2025-01-06", "parquet"): {
        "churn.parquet": "230ba5146d84f57c59ee51fe8e78c99ed9768e8f6cc1b97a95cc16947ee626d1",
        "clients.parquet": "bf223301d245733df8d03dc327a69becc885079c9b3070ecb72de9ab74c36343",
        "contacts.parquet": "26d32a4003a7e3cb6581aca190a84ed3a9c3e0995e78583aea5867d9887483d5",
        "invoices.parquet": "deb5dddb34bb4434e7595a5a6d7113580552cff1e15d2f3316f22edc22f382ba",
        "messages.parquet": "4a6a5981f37778fc61b56e1e90e6c60056dfb297eea8faae18ed3d83a7a5c466",
        "progress.parquet": "779f241e16fb5a8221b56eb6ce3bbf4406bee972ba0569570a6369a6c78720b3",
        "projects.parquet": "72abe2dcdf046f48132dff32d5dc69cf83c255cfbeaed418b6879140f7b2ec2f",
        "time_entries.parquet": "4b4d32d6c9afc9efe753362b2fb0196b9288191b6cf4411a26584be53b85ba63",
        "message_topics": "d015826c8abcfc99d4b746edac12d223c800a13a270e1f56524ef6cfd0069afd",
        "health": "feae132566745e2fcb68853aada6f4f1476bff6ab7bba327f1b71ad31c389881",
        "weeks": "199ecfc676cbefabdf388b7dc27bb6b70654c956b3733bcf817ef24cb9b4f05f",
    },
    (40, 3, 2, "2024-02-28", "csv"): {
        "churn.csv": "1aa0ae805268c7b2be6ebfa47e426624b54c6ab740ad5d23bb77c174303784e5",
        "clients.csv": "d5f3f897691f6a73e892fdaebefe1b1c4320ef58b4536cc1dc54bb7dd2a71b01",
        "contacts.csv": "bab4b784c3746e6a932f0eec79e5aace48d03f09dab08fc16c5fb499587d6c46",
        "invoices.csv": "57d81b571b3ffbfaa838053b77eca04f38f71e05984f2adbbcbe359250ef81af",
        "messages.csv": "db8ac6bdd838353e16deb82e395e3ada5aa124b416a247bfa7e83c53189b9e2f",
        "progress.csv": "b7bb38481f38aa9e5186bd0fbf3547ca3d90dbc217e4d63ef1c19f1a745534df",
        "projects.csv": "5e0a8df86e03e7a916cbc7493f782835ed4be4a674d1064c6d133bdba230bf24",
        "time_entries.csv": "bc0b6dbbca5b26be2f5c71d60653b1dd29b579b75ecde28bece0d487acf6ccfe",
        "message_topics": "d947f4615a25d4b38bc7deac789f14124ff924fe2f151cf92e09032773d188f8",
        "health": "33e1fbe1510755c2f5fbc7ffed7b66d7783f05fd3be30aaa225dedb9f51c9c19",
        "weeks": "98b0f655f1a0a72b0a0efd57998e6272883c1c121b325d2926aecaa2eb34f7ce",
    },
    (150, 12, 11, "2025-01-06", "csv"): {
        "churn.csv": "bc1d44a37144f364764b08f9168c26071948ce6b261b78ac1e952f57c91dc72f",
        "clients.csv": "ff8f342d6e9ed170638de258629b917b1bb3aaddb45f91648e9edbd9f4c72ede",
        "contacts.csv": "bab4b784c3746e6a932f0eec79e5aace48d03f09dab08fc16c5fb499587d6c46",
        "invoices.csv": "2afbc7d07d20693379a48872ccc41c345d57c2ff88994a120c89e2b2b498c5cb",
        "messages.csv": "cb8fbfea65f31063fca86462f42c0f8dad88afa6a210cca94aee0613658d2a16",
        "progress.csv": "1b5142596156f62c56c1021f299c4f812e6fd12ddbd1fd017378f1adc8654843",
        "projects.csv": "05ca12bbb783183a10a3f75d104b41ab1963bc59bc459f564f61cd31a148b1ec",
        "time_entries.csv": "072c1e8c019b5be0873dcbd6c97246fb01d62610d6119a69134be8dfffa83a26",
        "message_topics": "27db657dfc7630b5ee730596a9fbcc13bd18fee32c2184bc0721630bd25e750d",
        "health": "e639251ccd8287bf725f77a401152c642b0ca8ffb8f426bc765c6f2dbaad638b",
        "weeks": "a277ec6a27b1f7c15f5c2fcd073a8b7cd29e1d81248f89f9d11717aae34aa36c",
    },
    (300, 18, 7, "2025-01-06", "csv"): {
        "churn.csv": "56314bf755ad3eec1de11784420598abae002cc6cdce0eed2d41681189fd3782",
        "clients.csv": "eab1369bd2a7ca7559fa3c3ff6738f68c40988f11c4a802ffc79f18aeb822c67",
        "contacts.csv": "bab4b784c3746e6a932f0eec79e5aace48d03f09dab08fc16c5fb499587d6c46",
        "invoices.csv": "955de04c883bd59ed8f3ee086e12d8e45fb6789cb4ceba5e3f5d75e30b46d51f",
        "messages.csv": "db84298cd95fbc2414e59b1acde1a5892e55c6925d4e91dd3b5dd572e47109f1",
        "progress.csv": "97c9ef0b5aa50059d7b7d657b6fb645fd70494109ef72aff3ecc145d7850ebb5",
        "projects.csv": "6bc822132d6ba5d62be1efcd0f962c46fd89b05df5993fd18c39e74a76cafe9d",
        "time_entries.csv": "a1b0027bf7cf1664d0c0ede2bd4e4c85beb50e6f4a05f53c2e7377d6b518b93a",
        "message_topics": "d43d64869ae8e918f63eefbbd4df970a6ca666bead907b074152d32822acc14f",
        "health": "49d6d25e60ed326e0e897c1a54744c3ccdbad3a3db8e72178ebb9cff88ad34dd",
        "weeks": "e7cf9a4c8b1fce5500ea04fc7d4e8d47fb7f504138f98e007d91adcf5c1de10b",
    },
    (300, 18, 7, "2025-01-06", "parquet"): {
        "churn.parquet": "f18735fd2054ea53532285f389c5f51a8f863abd9fc1d481e45e24d36f4c1ac4",
        "clients.parquet": "faf69847c126c6c226d2bcad8be29415a3113269f5e436f8b7705b82835f7065",
        "contacts.parquet": "26d32a4003a7e3cb6581aca190a84ed3a9c3e0995e78583aea5867d9887483d5",
        "invoices.parquet": "76ea7f8c874b056dc263f73b1952e95745d6080c0520a2767df7f1facf3b4884",
        "messages.parquet": "58d89b9f27ac54f755a3e35d07073125bd3b3eff921f83fc51e567e332c0f71b",
        "progress.parquet": "33d2c6546725551035f75b97796deb07bb1985712d3f2af757deebe78197fdb1",
        "projects.parquet": "b33b0aba5ca10bc56e191c5e2c8c6b0e9f700b40b0db2d50900569104013ba57",
        "time_entries.parquet": "afa2b5bae02757028d27f0d7eb67c15b34f9d8e9f147c36e45e238569b883151",
        "message_topics": "d43d64869ae8e918f63eefbbd4df970a6ca666bead907b074152d32822acc14f",
        "health": "49d6d25e60ed326e0e897c1a54744c3ccdbad3a3db8e72178ebb9cff88ad34dd",
        "weeks": "e7cf9a4c8b1fce5500ea04fc7d4e8d47fb7f504138f98e007d91adcf5c1de10b",
    },
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(
    sim: Simulation, folder: Path, file_format: Literal["csv", "parquet"]
) -> dict[str, str]:
    """The digest of every written file and of the truth behind them."""
    written = write_bundle(sim.bundle, folder, file_format)
    digests = {path.name: sha256(path.read_bytes()) for path in sorted(written.iterdir())}
    topics = sim.message_topics
    digests["message_topics"] = sha256(
        "\n".join(f"{m}\t{t}" for m, t in zip(topics.index, topics, strict=True)).encode()
        + str(topics.name).encode()
    )
    # To 10 decimals: numpy's vectorised exp and log differ in the last bit between
    # CPUs (AVX-512 or not); a moved random draw moves far more than that.
    health = np.round(sim.health, 10) + 0.0
    digests["health"] = sha256(f"{sim.health.dtype} {sim.health.shape}".encode() + health.tobytes())
    digests["weeks"] = sha256(sim.weeks.asi8.tobytes() + str(sim.weeks.freq).encode())
    return digests


@pytest.mark.parametrize("case", list(RECORDED), ids=lambda case: "-".join(map(str, case)))
def test_same_seed_same_bytes_as_before_the_split(tmp_path: Path, case: Case) -> None:
    clients, months, seed, start, file_format = case
    sim = simulate(clients, months, seed=seed, start=start)
    assert fingerprint(sim, tmp_path, file_format) == RECORDED[case]
