"""A real SMTP server for the tests (Debian's python3-aiosmtpd): every message it accepts is written whole to a folder.

usage: smtp_sink.py FOLDER [--port N] [--refuse TEXT]

Listens on 127.0.0.1 (port N, or one the system picks) and prints "listening on PORT" once it accepts connections.
Each message accepted becomes FOLDER/<n>.eml, with its envelope recipients in FOLDER/<n>.rcpt (one per line), the
.eml written last (a temporary file renamed) so a reader never sees half a message. A recipient whose address
contains TEXT is refused for good (550), as a server refuses an unknown mailbox.
"""
import argparse
import asyncio
import itertools
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder, refuse):
        self.folder = folder
        self.refuse = refuse
        self.numbers = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse in address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, f"{os.getpid()}-{next(self.numbers):06d}")
        with open(name + ".rcpt", "w") as rcpt:
            rcpt.write("\n".join(envelope.rcpt_tos) + "\n")
        with open(name + ".tmp", "wb") as eml:
            eml.write(envelope.original_content)
        os.replace(name + ".tmp", name + ".eml")
        return "250 Message accepted for delivery"


async def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("folder")
    arguments.add_argument("--port", type=int, default=0)
    arguments.add_argument("--refuse", default="")
    options = arguments.parse_args()
    os.makedirs(options.folder, exist_ok=True)
    sink = Sink(options.folder, options.refuse)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, hostname="sink.test"), "127.0.0.1", options.port, reuse_address=True)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
