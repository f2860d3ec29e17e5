"""The names and addresses by which the hall's screens may reach this machine."""
import fcntl
import socket
import struct

SIOCGIFADDR = 0x8915


def names(extra: list[str] | tuple = ()) -> list[str]:
    """The machine's host name, its .local name (mDNS, which tablets resolve by themselves) and `extra`."""
    host = socket.gethostname().split(".")[0].lower()
    found = [*extra, host, f"{host}.local", "localhost"]
    return list(dict.fromkeys(n for n in found if n))


def addresses(extra: list[str] | tuple = ()) -> list[str]:
    """Every IPv4 address of the machine's interfaces (read from the kernel, nothing sent), then `extra`."""
    found = []
    for _, interface in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                answer = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, struct.pack("256s", interface[:15].encode()))
            except OSError:
                continue  # an interface with no IPv4 address
        found.append(socket.inet_ntoa(answer[20:24]))
    return list(dict.fromkeys([*found, "127.0.0.1", *extra]))


def best(addresses_: list[str]) -> str:
    """The address to print for people: the first that is not loopback."""
    return next((a for a in addresses_ if not a.startswith("127.")), addresses_[0])
