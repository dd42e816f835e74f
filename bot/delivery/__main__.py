"""``python -m bot.delivery``: run the engine alone until every send due now is over.

Reads the usual ``MAILLAGE_*`` settings, recovers from an interruption, runs each due send
and prints one JSON line per send (its report). It drains the outbox without the bot (the
crash tests and the benchmark kill it mid-send, then run it again).
"""

from __future__ import annotations

import asyncio
import json
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.delivery.report import SendReport
from bot.services import Services


async def drain(settings: Settings) -> list[SendReport]:
    """Recover, then run every send already due; return their reports."""
    services = await Services.open(settings)
    try:
        await services.deliveries.open()
        now = services.clock.now()
        reports = []
        for send_id, due in await services.deliveries.due_sends():
            if due <= now and (report := await services.deliveries.run(send_id)) is not None:
                reports.append(report)
        return reports
    finally:
        await services.close()


def _summary(report: SendReport) -> str:
    counts = {state.value: count for state, count in report.counts.items()}
    return json.dumps({"send_id": report.send_id, "status": report.status, "counts": counts})


def main() -> int:
    """Entry point."""
    try:
        reports = asyncio.run(drain(load_settings()))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    for report in reports:
        print(_summary(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
