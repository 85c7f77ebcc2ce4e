#!/usr/bin/env python3
"""exec_unblocked.py PROGRAM ARGS...: runs PROGRAM in this process (same pid) with no signal
blocked and SIGTERM / SIGINT at their defaults. A test process spawns children from threads that
block signals, and the mask is inherited: a server started that way would never see SIGTERM."""
import os
import signal
import sys

signal.pthread_sigmask(signal.SIG_SETMASK, [])
for number in (signal.SIGTERM, signal.SIGINT):
    signal.signal(number, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])
