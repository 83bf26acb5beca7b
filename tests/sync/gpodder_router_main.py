"""Serve gpodder-fastapi-router on 127.0.0.1 (run by its own venv's Python, see the Makefile).

python gpodder_router_main.py DATABASE_FILE PORT [--bcrypt-rounds N]
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI
from gpodder_router import GPodderConfig, attach


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("port", type=int)
    parser.add_argument("--bcrypt-rounds", type=int, default=12)
    args = parser.parse_args()
    base_url = f"http://127.0.0.1:{args.port}"
    app = FastAPI()
    attach(
        app,
        config=GPodderConfig(
            database_url=f"sqlite+aiosqlite:///{args.database}",
            base_url=base_url,
            bcrypt_rounds=args.bcrypt_rounds,
            enable_dashboard=False,
        ),
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
