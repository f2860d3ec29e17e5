"""The nemesis: each fault of the scenario begins and ends at its time, and says when it did."""
import time

from rehearsal.hall import device_names


class Nemesis:
    """Breaks the hall on purpose. `marks` keeps each fault's real start and end (wall ms) for the report."""

    def __init__(self, scenario, hub, printers, clients, slow_disk_file):
        self.scenario, self.hub, self.printers, self.clients = scenario, hub, printers, clients
        self.slow_disk_file = slow_disk_file
        self.marks: list[dict] = []

    def _cut_tills(self, fault) -> list[str]:
        tills = device_names(self.scenario.hall)["pos"]
        return tills[-int(fault.options.get("tills", 2)):]

    def begin(self, fault) -> dict:
        mark = {"kind": fault.kind, "day_at": fault.at, "day_minutes": fault.lasts, "start": time.time() * 1000,
                "end": None, "detail": ""}
        self.marks.append(mark)
        if fault.kind == "tills_cut":
            names = self._cut_tills(fault)
            self.clients.send({"op": "cut", "names": names})
            mark["detail"] = ", ".join(names)
        elif fault.kind == "paper_out":
            for name in fault.options["printers"]:
                self.printers[name].status = "paper_out"
            mark["detail"] = ", ".join(fault.options["printers"])
        elif fault.kind == "slow_disk":
            self.slow_disk_file.write_text(str(fault.options.get("commit_ms", 100)))
            mark["detail"] = f"{fault.options.get('commit_ms', 100)} ms before each commit"
        elif fault.kind == "hold_flood":
            self.clients.send({"op": "flood", "name": fault.options["kiosk"], "on": True})
            mark["detail"] = fault.options["kiosk"]
        elif fault.kind == "scanner_offline":
            self.clients.send({"op": "cut", "names": [fault.options["scanner"]]})
            mark["detail"] = fault.options["scanner"]
        elif fault.kind == "hub_kill":
            self.hub.kill()
            mark["detail"] = "SIGKILL"
        return mark

    def end(self, fault, mark) -> None:
        if fault.kind == "tills_cut":
            self.clients.send({"op": "mend", "names": self._cut_tills(fault)})
        elif fault.kind == "paper_out":
            for name in fault.options["printers"]:
                self.printers[name].status = "online"
        elif fault.kind == "slow_disk":
            self.slow_disk_file.unlink(missing_ok=True)
        elif fault.kind == "hold_flood":
            self.clients.send({"op": "flood", "name": fault.options["kiosk"], "on": False})
        elif fault.kind == "scanner_offline":
            self.clients.send({"op": "mend", "names": [fault.options["scanner"]]})
        elif fault.kind == "hub_kill":
            self.hub.start()
            mark["detail"] += f", up again after {(time.time() * 1000 - mark['start']) / 1000:.1f} s"
        mark["end"] = time.time() * 1000
