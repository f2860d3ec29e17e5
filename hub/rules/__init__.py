"""The hall's rules: plain functions of the store and the time that return a result and the events it caused.

Nothing here knows Flask, Socket.IO or how a payload arrived: the wire parses, the rules decide.
"""
