"""What the score run read in each message, kept where the read path finds it.

The timeline shows each message's polarity, billing question and doubt. Reading a
text again on every request would cost more than the rest of the request; the score
run has read every message already (``features.text.message_scores``, cached on
disk), so it writes what it read into ``message_scores`` in its own transaction. A
message changed by a later load or ingest loses its row and shows
unscored until the next run reads it (``risk.store.load.upsert`` drops its row).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from features.bundle.load import Bundle
from features.text.message_scores import SCORER_VERSION, score_messages, text_hashes
from risk.store.load import forget_scores, insert_rows
from risk.store.tables import message_scores


def store_message_scores(connection: Connection, bundle: Bundle, cache_dir: Path | None) -> int:
    """Bring ``message_scores`` level with the messages of ``bundle``, in the caller's
    transaction: rows whose text, language, direction or scorer changed are written
    again. Returns how many were written."""
    messages = bundle.messages
    if messages.empty:
        return 0
    read = score_messages(bundle, cache_dir)  # the features' own read: a cache hit
    # uint64 stored as the int64 with the same bits: no database has unsigned columns.
    hashes = text_hashes(bundle).view(np.int64).tolist()
    stored = {
        row.message_id: (row.text_hash, row.scorer_version)
        for row in connection.execute(
            select(
                message_scores.c.message_id,
                message_scores.c.text_hash,
                message_scores.c.scorer_version,
            )
        )
    }
    rows: list[dict[str, Any]] = []
    for message_id, text_hash, language, polarity, question, doubt in zip(
        messages["message_id"].tolist(),
        hashes,
        read["language"].tolist(),
        read["polarity"].tolist(),
        read["billing_question"].tolist(),
        read["relationship_doubt"].tolist(),
        strict=True,
    ):
        if stored.get(message_id) == (text_hash, SCORER_VERSION):
            continue
        rows.append(
            {
                "message_id": message_id,
                "text_hash": text_hash,
                "scorer_version": SCORER_VERSION,
                "language": language,
                "polarity": None if polarity != polarity else polarity,  # NaN: no text
                "billing_question": bool(question),
                "relationship_doubt": bool(doubt),
            }
        )
    forget_scores(connection, [row["message_id"] for row in rows if row["message_id"] in stored])
    insert_rows(connection, message_scores, rows)
    return len(rows)
