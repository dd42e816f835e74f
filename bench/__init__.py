"""Benchmarks: each module has ``async def run() -> list[dict]``; ``python -m bench`` runs them."""
