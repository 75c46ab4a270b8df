"""The baseline for `bitten bench ingest`: the seed's technology, a pyzmq PULL -> PUB relay.

usage: /usr/bin/python3 pyzmq_relay.py raw|json
  raw  forwards each frame untouched (the fastest a Python relay can be)
  json parses and re-serialises each frame, as the original zmq_telemetry_bridge did
Binds two random loopback ports and prints "READY <pull endpoint> <pub endpoint>".
"""
import json
import sys

import zmq

mode = sys.argv[1] if len(sys.argv) > 1 else "raw"
ctx = zmq.Context()
pull = ctx.socket(zmq.PULL)
pull.setsockopt(zmq.RCVHWM, 100000)
pull.bind("tcp://127.0.0.1:*")
pub = ctx.socket(zmq.PUB)
pub.setsockopt(zmq.SNDHWM, 0)
pub.bind("tcp://127.0.0.1:*")
print("READY", pull.getsockopt_string(zmq.LAST_ENDPOINT), pub.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)

if mode == "json":
    while True:
        pub.send_json(json.loads(pull.recv()))
else:
    while True:
        pub.send(pull.recv())
