"""Benchmarks for the hall's hub: durable checkouts, stock push, memory and async mode.

Run `python -m bench` (about four minutes) or `python -m bench --quick`
(under a minute). Every server and client is a child process on 127.0.0.1
that this package starts, bounds in time and stops again.
"""
