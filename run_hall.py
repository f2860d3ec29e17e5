"""Run the sales hall on this machine, or manage its devices.

  python run_hall.py [--data var] [--host 127.0.0.1] [--port 5000] [--config config/hall.toml]
  python run_hall.py token --role pos --name pos-1      prints a device token
  python run_hall.py token --revoke pos-1               revokes it; its screens drop at once
  python run_hall.py pair --role kiosk --name kiosk-1   prints a one-time pairing code (10 minutes)
"""
import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROLES = ("kiosk", "pos", "staff", "scanner")


def _common(parser):
    parser.add_argument("--data", default="var", help="folder for the database and print jobs (default: var)")
    parser.add_argument("--config", default=str(HERE / "config" / "hall.toml"), help="hall settings file")


def parse(argv):
    parser = argparse.ArgumentParser(prog="run_hall.py", description="Expo Sales Hall hub")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the hall (the default)")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    token = commands.add_parser("token", help="mint or revoke a device token")
    _common(token)
    token.add_argument("--role", choices=ROLES)
    token.add_argument("--name")
    token.add_argument("--revoke", metavar="NAME")
    pair = commands.add_parser("pair", help="print a one-time pairing code for a new screen")
    _common(pair)
    pair.add_argument("--role", choices=ROLES, required=True)
    pair.add_argument("--name", required=True)
    if not argv or argv[0] not in ("serve", "token", "pair", "-h", "--help"):
        argv = ["serve", *argv]
    args = parser.parse_args(argv)
    if args.command == "token" and not args.revoke and not (args.role and args.name):
        parser.error("token needs --role and --name, or --revoke NAME")
    return args


def _settings(args):
    from hub import config
    return config.load(args.config, args.data)


def manage(args) -> int:
    """token and pair: write straight to the hall's file; a running hub sees it at once."""
    from datetime import datetime

    from hub import devices
    from hub.errors import HallError
    from hub.store import Store

    settings = _settings(args)
    store = Store(settings.db_path)
    now = datetime.now(settings.timezone)
    try:
        if args.command == "token" and args.revoke:
            store.run(devices.revoke, args.revoke, now=now)
            print(f"revoked {args.revoke}", file=sys.stderr)
        elif args.command == "token":
            result, _ = store.run(devices.mint_token, args.role, args.name, now=now)
            print(result["token"])
        else:
            result, _ = store.run(devices.create_pairing, args.role, args.name, now=now)
            print(result["code"])
            print(f"enter this code on the {args.role} screen '{args.name}' before "
                  f"{result['expires_at'][11:16]}", file=sys.stderr)
    except HallError as refused:
        print(f"error ({refused.code}): {refused.message}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


def serve(args) -> int:
    # gevent must patch the standard library before anything else imports it.
    from gevent import monkey
    monkey.patch_all()
    import logging

    from hub import create_app, socketio
    from hub.errors import HallError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = _settings(args)
    try:
        app = create_app(settings)
    except HallError as refused:
        print(f"error ({refused.code}): {refused.message}", file=sys.stderr)
        return 2
    app.extensions["hall"].start()
    base = f"http://{args.host}:{args.port}"
    print(f"Expo Sales Hall is open at {base}  (data: {Path(args.data).resolve()})", flush=True)
    for screen, label in (("kiosk", "visitor kiosk"), ("pos", "cashier POS"), ("staff", "staff screen"),
                          ("scan", "demo door scanner")):
        print(f"  {label:18} {base}/{screen}", flush=True)
    print("Pair a screen:  python run_hall.py pair --role pos --name pos-1   (then type the code on it)",
          flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=False)
    return 0


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.command == "serve":
        return serve(args)
    return manage(args)


if __name__ == "__main__":
    sys.exit(main())
