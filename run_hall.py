"""Run the sales hall on this machine, or manage its devices.

  python run_hall.py [--data var] [--host 127.0.0.1] [--port 5000] [--config config/hall.toml]
  python run_hall.py --lan [--port 8443] [--http-port 8080] [--name hall.example]   HTTPS on the hall network
  python run_hall.py --processes 3 --redis redis://127.0.0.1:6379/0   three processes on ports 5000-5002
  python run_hall.py check [--config config/hall.toml]   checks every setting, starts nothing (exit 2: mistakes)
  python run_hall.py token --role pos --name pos-1      prints a device token
  python run_hall.py token --revoke pos-1               revokes it; its screens drop at once
  python run_hall.py pair --role kiosk --name kiosk-1   prints a one-time pairing code (10 minutes)
  python run_hall.py cashier add c02 --name 이수납       adds a cashier (asks for the PIN)
  python run_hall.py pin-hash                            prints a PIN hash for [[cashiers]] in hall.toml
  python run_hall.py staff add NAME                      adds a staff member (asks for the password)
  python run_hall.py backup [--to FOLDER]                copies the record now ([backup] folder), hub running or not
  python run_hall.py restore FROM [--replace]            starts the data folder from a copy (the hub stopped)
  python run_hall.py launch kiosk|pos|scan [--url URL]   this machine's chromium as that screen, in kiosk mode
"""
import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROLES = ("kiosk", "pos", "staff", "scanner")
SCREEN_OF_ROLE = {"kiosk": "kiosk", "pos": "pos", "staff": "staff", "scanner": "scan"}


def _common(parser):
    parser.add_argument("--data", default="var", help="folder for the database and print jobs (default: var)")
    parser.add_argument("--config", default=str(HERE / "config" / "hall.toml"), help="hall settings file")


def parse(argv):
    parser = argparse.ArgumentParser(prog="run_hall.py", description="Expo Sales Hall hub")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the hall (the default)")
    _common(serve)
    serve.add_argument("--host", help="address to listen on (127.0.0.1; with --lan, [server] host: 0.0.0.0)")
    serve.add_argument("--port", type=int, help="port (5000; with --lan, the HTTPS port, [server] port: 8443)")
    serve.add_argument("--lan", action="store_true", help="serve HTTPS on the hall's network (docs/network.md)")
    serve.add_argument("--http-port", type=int, help="with --lan: the plain-HTTP port for the hall CA (8080)")
    serve.add_argument("--name", action="append", default=[], help="with --lan: one more name for the hub's "
                       "certificate (repeatable)")
    serve.add_argument("--processes", type=int, help="hub processes, on consecutive ports from --port ([processes] "
                       "count: 1); more than one needs --redis (docs/scaling.md)")
    serve.add_argument("--redis", help="the Redis the processes share the screens through ([processes] redis)")
    # Given by the supervisor to each process it starts (hub/scale/supervisor.py), never by hand.
    serve.add_argument("--process-index", type=int, help=argparse.SUPPRESS)
    serve.add_argument("--relay-port", type=int, help=argparse.SUPPRESS)
    check = commands.add_parser("check", help="check hall.toml and the files it names without starting the hub")
    _common(check)
    token = commands.add_parser("token", help="mint or revoke a device token")
    _common(token)
    token.add_argument("--role", choices=ROLES)
    token.add_argument("--name")
    token.add_argument("--revoke", metavar="NAME")
    pair = commands.add_parser("pair", help="print a one-time pairing code for a new screen")
    _common(pair)
    pair.add_argument("--role", choices=ROLES, required=True)
    pair.add_argument("--name", required=True)
    pair.add_argument("--url", help="the hub's address as devices reach it, for the QR (default: from [server])")
    cashier = commands.add_parser("cashier", help="add a cashier or change one's PIN")
    _common(cashier)
    cashier.add_argument("action", choices=("add",))
    cashier.add_argument("cashier_id")
    cashier.add_argument("--name", required=True)
    cashier.add_argument("--supervisor", action="store_true", help="may approve large refunds and voids")
    cashier.add_argument("--pin", help="4-8 digits (asked for when left out, so it stays out of the shell history)")
    commands.add_parser("pin-hash", help="print the hash of a PIN for hall.toml")
    person = commands.add_parser("staff", help="add a staff member or set a new password")
    _common(person)
    person.add_argument("action", choices=("add",))
    person.add_argument("name")
    copy = commands.add_parser("backup", help="copy the hall's record now")
    _common(copy)
    copy.add_argument("--to", help="folder for the copy (default: [backup] folder in hall.toml)")
    back = commands.add_parser("restore", help="start the data folder from a copy (stop the hub first)")
    _common(back)
    back.add_argument("source", help="a copy, or a backup folder (its newest copy)")
    back.add_argument("--replace", action="store_true", help="put the data folder's record aside first")
    launch = commands.add_parser("launch", help="start chromium in kiosk mode as one of the hall's screens")
    launch.add_argument("screen", choices=("kiosk", "pos", "scan"))
    launch.add_argument("--config", default=str(HERE / "config" / "hall.toml"), help="hall settings file")
    launch.add_argument("--url", help="the hub's address (default: from [server] in hall.toml)")
    launch.add_argument("--profile", help="chromium profile folder (default: one of the screen's own)")
    launch.add_argument("--browser", help="the browser to start (default: Debian's chromium)")
    launch.add_argument("--browser-flag", action="append", default=[], metavar="FLAG",
                        help="one more flag for the browser (repeatable)")
    launch.add_argument("--print", action="store_true", help="print the command instead of running it")
    launch.set_defaults(data="var")
    if not argv or argv[0] not in ("serve", "check", "token", "pair", "cashier", "pin-hash", "staff", "backup",
                                   "restore", "launch", "-h", "--help"):
        argv = ["serve", *argv]
    args = parser.parse_args(argv)
    if args.command == "token" and not args.revoke and not (args.role and args.name):
        parser.error("token needs --role and --name, or --revoke NAME")
    return args


def _settings(args, overrides=None):
    """The hall's settings; a mistake in them is told one line each and the command stops with exit code 2."""
    from hub import config
    try:
        return config.load(args.config, args.data, overrides)
    except config.ConfigError as wrong:
        print("\n".join(wrong.lines), file=sys.stderr)
        raise SystemExit(2) from None


def check(args) -> int:
    from hub.config_check import shown_path
    settings = _settings(args)
    print(f"{shown_path(Path(args.config))}: every setting is fine ({len(settings.printers)} printers, "
          f"{len(settings.stations)} stations, {len(settings.cashiers)} cashiers)")
    return 0


def _ask_pin(given: str | None) -> str:
    from getpass import getpass

    from hub.rules.cashiers import check_pin
    if given is not None:
        pin = given
    elif sys.stdin.isatty():
        pin = getpass("PIN (4-8 digits): ")
    else:
        # Piped in by a set-up script: one line, never echoed anywhere.
        pin = sys.stdin.readline().strip()
    return check_pin(pin)


def _ask_password() -> str:
    from getpass import getpass
    if sys.stdin.isatty():
        first = getpass("password (8 or more characters): ")
        if getpass("again: ") != first:
            raise SystemExit("error: the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def manage(args) -> int:
    """token, pair and cashier: write straight to the hall's file; a running hub sees it at once."""
    from datetime import datetime

    from hub.rules import cashiers, devices, staff
    from hub.errors import HallError
    from hub.store import Store

    if args.command == "pin-hash":
        try:
            print(cashiers.hash_pin(_ask_pin(None)))
        except HallError as refused:
            print(f"error ({refused.code}): {refused.message}", file=sys.stderr)
            return 2
        return 0

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
        elif args.command == "staff":
            store.run(staff.add, args.name, _ask_password(), now=now)
            print(f"{args.name} can sign in on a staff screen", file=sys.stderr)
        elif args.command == "cashier":
            pin_hash = cashiers.hash_pin(_ask_pin(args.pin))
            store.run(cashiers.upsert, args.cashier_id, args.name, pin_hash, supervisor=args.supervisor,
                      by="command line", now=now)
            print(f"cashier {args.cashier_id} ({args.name}) can sign in", file=sys.stderr)
        else:
            result, _ = store.run(devices.create_pairing, args.role, args.name, now=now)
            print(result["code"])
            _show_pairing_qr(f"{args.url or hub_address(settings)}/{SCREEN_OF_ROLE[args.role]}/#pair={result['code']}")
            print(f"enter this code on the {args.role} screen '{args.name}' before "
                  f"{result['expires_at'][11:16]}, or scan the QR with it", file=sys.stderr)
    except HallError as refused:
        print(f"error ({refused.code}): {refused.message}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


def backups(args) -> int:
    """backup and restore: straight on the files, as the hub's own timer does (hub/backup.py)."""
    from datetime import datetime

    from hub import backup
    settings = _settings(args)
    try:
        if args.command == "restore":
            done = backup.restore(args.source, settings.data_dir, replace=args.replace)
            print(f"{settings.data_dir} starts from {done['copy']} (made {done['made_at']}, seq {done['seq']})"
                  + (f"; the record it held is in {done['put_aside']}" if "put_aside" in done else ""),
                  file=sys.stderr)
            print("Start the hub: the tills offer again the sales they made after this copy.", file=sys.stderr)
            return 0
        folder = args.to or settings.backup["folder"]
        if not folder:
            print("error: no folder: give --to FOLDER or set [backup] folder in hall.toml", file=sys.stderr)
            return 2
        made = backup.make(settings.data_dir, folder, now=datetime.now(settings.timezone),
                           keep=settings.backup["keep"])
        print(made)
    except (OSError, backup.BackupError) as failed:
        print(f"error: {failed}", file=sys.stderr)
        return 2
    return 0


def hub_address(settings, *, names=(), port: int | None = None) -> str:
    """The hub's address as the hall's devices reach it: HTTPS on its LAN name or address with [server] lan,
    else http://127.0.0.1:5000."""
    if not settings.server["lan"] and port is None:
        return "http://127.0.0.1:5000"
    from hub.net import addresses
    port = port or settings.server["port"]
    # A name the operator gave, else the LAN address: a tablet may not resolve the machine's own names.
    shown = ([*names, *settings.server["names"]] or [addresses.best(addresses.addresses(settings.server["addresses"]))])[0]
    return f"https://{shown}" + ("" if port == 443 else f":{port}")


def _show_pairing_qr(url: str) -> None:
    """The pairing QR in the terminal: scanned, it opens the screen on the hub with the code filled in."""
    import qrcode
    code = qrcode.QRCode(border=2)
    code.add_data(url)
    if sys.stderr.isatty():
        code.print_ascii(out=sys.stderr, invert=True)
    print(url, file=sys.stderr)


def launch(args) -> int:
    """Replace this process with the screen's browser, so a kiosk's session manager watches the browser."""
    import os
    import shlex

    from hub import launch as screens
    executable = args.browser or screens.browser()
    if executable is None:
        print("error: no chromium on this machine: sudo apt-get install chromium", file=sys.stderr)
        return 2
    url = args.url or hub_address(_settings(args))
    profile = Path(args.profile) if args.profile else screens.profile_dir(args.screen)
    line = screens.command(args.screen, url, executable=executable, profile=profile, extra=args.browser_flag)
    if args.print:
        print(shlex.join(line))
        return 0
    profile.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    os.execv(executable, line)
    return 0  # not reached


def _file_section(args, name: str) -> dict:
    """One table of hall.toml as written, read without the hub: a hub process must be patched by gevent before
    it imports the hub, and the supervisor needs no more of the settings. A file that cannot be read gives
    nothing here, and each process then says what is wrong with it."""
    import tomllib
    try:
        with open(args.config, "rb") as settings:
            section = tomllib.load(settings).get(name, {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return section if isinstance(section, dict) else {}


def _processes(args) -> tuple[int, str]:
    """How many processes, and their Redis: the command line's, else hall.toml's [processes]."""
    section = _file_section(args, "processes")
    count = args.processes or section.get("count") or 1
    return (count if isinstance(count, int) else 1), (args.redis or section.get("redis") or "")


def supervise(args, processes: int, redis: str) -> int:
    """Several processes: this one only starts them and keeps them running (hub/scale/supervisor.py)."""
    import logging

    from hub.scale.supervisor import Supervisor, free_port
    logging.basicConfig(level=logging.INFO, force=True, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = _file_section(args, "server")
    lan = args.lan or server.get("lan") is True
    first = args.port or (server.get("port", 8443) if lan else 5000)
    ports = [first + index for index in range(processes)]
    relay_port = free_port()
    given = ["--data", args.data, "--config", args.config, *(["--host", args.host] if args.host else []),
             *(["--lan"] if args.lan else []), *(["--http-port", str(args.http_port)] if args.http_port else []),
             *[option for name in args.name for option in ("--name", name)]]

    def command_of(index: int) -> list[str]:
        return [sys.executable, str(Path(__file__).resolve()), "serve", *given, "--port", str(ports[index]),
                "--processes", str(processes), "--redis", redis, "--process-index", str(index),
                "--relay-port", str(relay_port)]
    print(f"Expo Sales Hall as {processes} processes on ports {ports[0]}-{ports[-1]} (process 0 writes the "
          f"record), sharing the screens through {redis}", flush=True)
    return Supervisor(command_of, processes, ports).run()


def serve(args) -> int:
    processes, redis = _processes(args)
    if processes > 1 and not redis:
        print("error: several processes share their screens through Redis: give --redis redis://HOST:PORT/0 "
              "(or [processes] redis in hall.toml); docs/scaling.md", file=sys.stderr)
        return 2
    if processes > 1 and args.process_index is None:
        return supervise(args, processes, redis)
    # gevent must patch the standard library before anything else imports it.
    from gevent import monkey
    monkey.patch_all()
    import logging
    import os

    from hub import create_app, serving
    from hub.errors import HallError
    from hub.scale import Place

    index = args.process_index or 0
    if processes > 1 and not (os.environ.get("HALL_RELAY_KEY") and args.relay_port):
        print("error: a process of several is started by `run_hall.py --processes N`, which gives it its place",
              file=sys.stderr)
        return 2
    which = f" p{index}" if processes > 1 else ""  # whose line it is, in a log that several processes share
    logging.basicConfig(level=logging.INFO, force=True,
                        format=f"%(asctime)s %(levelname)s{which} %(name)s: %(message)s")
    settings = _settings(args, {"processes": {"count": processes, "redis": redis}})
    lan = args.lan or settings.server["lan"]
    host = args.host or (settings.server["host"] if lan else "127.0.0.1")
    port = args.port or (settings.server["port"] if lan else 5000)
    place = Place(index=index, count=processes, ports=tuple(port - index + i for i in range(processes)),
                  relay_port=args.relay_port)
    try:
        app = create_app(settings, place=place, relay_key=os.environ.get("HALL_RELAY_KEY"))
    except HallError as refused:
        print(f"error ({refused.code}): {refused.message}", file=sys.stderr)
        return 2
    tls = plain = None
    if lan:
        tls, plain, base = _lan(args, settings, port)
        if not place.writer:
            plain = None  # the writer's door hands out the hall CA; one is enough
    else:
        base = f"http://{host}:{port}"
    app.extensions["hall"].start()
    if place.several:
        print(f"process {index} of {processes} ({'writer' if place.writer else 'serving'}) on {base}", flush=True)
    print(f"Expo Sales Hall is open at {base}  (data: {Path(args.data).resolve()})", flush=True)
    for screen, label in (("kiosk", "visitor kiosk"), ("pos", "cashier POS"), ("staff", "staff screen"),
                          ("scan", "demo door scanner")):
        print(f"  {label:18} {base}/{screen}", flush=True)
    if plain:
        print(f"New devices trust the hall first: http://{base.split('//')[1].rsplit(':', 1)[0]}:{plain[0]}/",
              flush=True)
    print("Pair a screen:  python run_hall.py pair --role pos --name pos-1   (then type the code on it)",
          flush=True)
    try:
        serving.run(app, host, port, tls=tls, plain=plain)
    except OSError as err:
        print(f"error: cannot listen on {host}:{port}{f' or {plain[0]}' if plain else ''} ({err.strerror}); "
              f"is another hub running? Try --port", file=sys.stderr)
        return 2
    return 0


def _lan(args, settings, port: int):
    """The hall's certificate (made at first start) and the plain-HTTP door; returns (tls, plain, base URL)."""
    from hub.net import addresses, certs, trust_page
    names = addresses.names([*args.name, *settings.server["names"]])
    found = addresses.addresses(settings.server["addresses"])
    tls = certs.ensure(settings.data_dir / "tls", names, found)
    if not tls.ca_cert.exists():
        print(f"error: {tls.cert} is the hall's own certificate: put the certificate of the authority that "
              f"signed it as {tls.ca_cert}, for the devices to trust (docs/network.md)", file=sys.stderr)
        raise SystemExit(2)
    http_port = args.http_port or settings.server["http_port"]
    app = trust_page.make_app(ca_cert=tls.ca_cert, https_port=port, names=names, addresses=found,
                              fingerprint=certs.fingerprint(tls.ca_cert))
    base = hub_address(settings, names=args.name, port=port)
    print(f"hall CA: {tls.ca_cert} (SHA-256 {certs.fingerprint(tls.ca_cert)}); the hub answers as "
          f"{', '.join(names + found)}", flush=True)
    return tls, (http_port, app), base


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "check":
        return check(args)
    if args.command in ("backup", "restore"):
        return backups(args)
    if args.command == "launch":
        return launch(args)
    return manage(args)


if __name__ == "__main__":
    sys.exit(main())
