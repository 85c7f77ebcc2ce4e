#!/usr/bin/env python3
"""A MySQL 8.4-style login endpoint for the tests: it speaks the handshake of `caching_sha2_password`
(the default authentication of MySQL 8.4/9 and HeatWave) the way the server does, because MariaDB,
the only server Debian ships, has no such plugin.

It authenticates exactly as MySQL does:
- fast path: the client's scramble XOR(SHA256(p), SHA256(SHA256(SHA256(p)) + nonce)) checked against
  the server's cache, which holds a user only after one full authentication;
- full path: the password in clear over TLS, or RSA-OAEP encrypted (password XOR nonce) with the
  server's public key over plain TCP, where the client may also ask for that key (0x02).
Afterwards it answers COM_QUERY with OK for statements and, for a SELECT, one row
"user:path" naming how the login went, so the tests can tell the paths apart; COM_PING is OK.

Usage: caching_sha2_server.py DIR [--tls]   DIR receives the RSA key pair (private.pem, public.pem),
with --tls a CA and a server certificate for 127.0.0.1 (ca.pem, server.pem, server-key.pem), and
then `port`, written once it listens on 127.0.0.1. Every user's password is "s3cret-" + user name.
"""
import hashlib
import os
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import threading

CLIENT_LONG_PASSWORD = 0x1
CLIENT_LONG_FLAG = 0x4
CLIENT_CONNECT_WITH_DB = 0x8
CLIENT_PROTOCOL_41 = 0x200
CLIENT_SSL = 0x800
CLIENT_TRANSACTIONS = 0x2000
CLIENT_SECURE_CONNECTION = 0x8000
CLIENT_MULTI_STATEMENTS = 0x10000
CLIENT_MULTI_RESULTS = 0x20000
CLIENT_PS_MULTI_RESULTS = 0x40000
CLIENT_PLUGIN_AUTH = 0x80000
CLIENT_CONNECT_ATTRS = 0x100000
CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000

PLUGIN = b"caching_sha2_password"
UTF8MB4_GENERAL_CI = 45


def password_of(user):
    return b"s3cret-" + user


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_keys(directory, tls):
    run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", f"{directory}/private.pem")
    run("openssl", "pkey", "-in", f"{directory}/private.pem", "-pubout", "-out", f"{directory}/public.pem")
    if not tls:
        return
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
        "-keyout", f"{directory}/ca-key.pem", "-out", f"{directory}/ca.pem")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", f"{directory}/server-key.pem", "-out", f"{directory}/server.csr")
    with open(f"{directory}/san.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    run("openssl", "x509", "-req", "-in", f"{directory}/server.csr", "-CA", f"{directory}/ca.pem",
        "-CAkey", f"{directory}/ca-key.pem", "-CAcreateserial", "-days", "2", "-extfile", f"{directory}/san.ext",
        "-out", f"{directory}/server.pem")


def sha256(data):
    return hashlib.sha256(data).digest()


def xor(data, key):
    return bytes(b ^ key[i % len(key)] for i, b in enumerate(data))


def lenenc_int(n):
    if n < 251:
        return bytes([n])
    if n < 1 << 16:
        return b"\xfc" + struct.pack("<H", n)
    if n < 1 << 24:
        return b"\xfd" + struct.pack("<I", n)[:3]
    return b"\xfe" + struct.pack("<Q", n)


def lenenc_str(s):
    return lenenc_int(len(s)) + s


class Closed(Exception):
    pass


class Wire:
    """Packets over a socket that TLS may wrap midway; `seq` follows the protocol's sequence ids."""

    def __init__(self, sock):
        self.sock = sock
        self.seq = 0

    def read_exact(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise Closed()
            out += chunk
        return out

    def read(self):
        header = self.read_exact(4)
        length = header[0] | header[1] << 8 | header[2] << 16
        self.seq = (header[3] + 1) & 0xFF
        return self.read_exact(length)

    def write(self, payload):
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([self.seq]) + payload)
        self.seq = (self.seq + 1) & 0xFF

    def ok(self):
        self.write(b"\x00" + lenenc_int(0) + lenenc_int(0) + struct.pack("<HH", 0x0002, 0))

    def error(self, code, state, message):
        self.write(b"\xff" + struct.pack("<H", code) + b"#" + state + message)

    def eof(self):
        self.write(b"\xfe" + struct.pack("<HH", 0, 0x0002))


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, directory, tls):
        super().__init__(("127.0.0.1", 0), Handler)
        self.directory = directory
        self.tls = None
        if tls:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(f"{directory}/server.pem", f"{directory}/server-key.pem")
        with open(f"{directory}/public.pem", "rb") as f:
            self.public_key = f.read()
        self.cache = set()  # users whose fast path is armed by a full authentication
        self.lock = threading.Lock()
        self.next_id = 1

    def decrypt(self, data):
        result = subprocess.run(["openssl", "pkeyutl", "-decrypt", "-inkey", f"{self.directory}/private.pem",
                                 "-pkeyopt", "rsa_padding_mode:oaep"], input=data, capture_output=True)
        return result.stdout if result.returncode == 0 else None


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        wire = Wire(self.request)
        with server.lock:
            connection_id = server.next_id
            server.next_id += 1
        nonce = os.urandom(20).replace(b"\x00", b"\x01")
        capabilities = (CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41
                        | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS
                        | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS
                        | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | (CLIENT_SSL if server.tls else 0))
        greeting = (b"\x0a" + b"8.4.3-caching-sha2-test\x00" + struct.pack("<I", connection_id) + nonce[:8] + b"\x00"
                    + struct.pack("<H", capabilities & 0xFFFF) + bytes([UTF8MB4_GENERAL_CI]) + struct.pack("<H", 0x0002)
                    + struct.pack("<H", capabilities >> 16) + bytes([21]) + b"\x00" * 10 + nonce[8:] + b"\x00"
                    + PLUGIN + b"\x00")
        try:
            wire.write(greeting)
            response = wire.read()
            client_caps = struct.unpack_from("<I", response, 0)[0]
            secure = False
            if client_caps & CLIENT_SSL and len(response) == 32:
                if not server.tls:
                    return
                wire.sock = server.tls.wrap_socket(self.request, server_side=True)
                secure = True
                response = wire.read()
                client_caps = struct.unpack_from("<I", response, 0)[0]
            user, scramble, plugin = self.parse_response(response, client_caps)
            if plugin != PLUGIN:
                wire.write(b"\xfe" + PLUGIN + b"\x00" + nonce + b"\x00")
                scramble = wire.read()
            path = self.authenticate(wire, user, scramble, nonce, secure)
            if path is None:
                wire.error(1045, b"28000", b"Access denied for user '" + user + b"'@'127.0.0.1' (using password: YES)")
                return
            wire.ok()
            self.serve_commands(wire, user + b":" + path)
        except (Closed, ConnectionError, ssl.SSLError):
            return

    @staticmethod
    def parse_response(data, caps):
        at = 4 + 4 + 1 + 23
        end = data.index(b"\x00", at)
        user = data[at:end]
        at = end + 1
        if caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA:
            first = data[at]
            if first < 251:
                length, at = first, at + 1
            elif first == 0xFC:
                length, at = struct.unpack_from("<H", data, at + 1)[0], at + 3
            else:
                raise Closed()
        else:
            length, at = data[at], at + 1
        scramble = data[at:at + length]
        at += length
        if caps & CLIENT_CONNECT_WITH_DB and at < len(data):
            end = data.index(b"\x00", at)
            at = end + 1
        plugin = b""
        if caps & CLIENT_PLUGIN_AUTH and at < len(data):
            end = data.index(b"\x00", at)
            plugin = data[at:end]
        return user, scramble, plugin

    def authenticate(self, wire, user, scramble, nonce, secure):
        """The path that logged the user in, or None when the password was wrong."""
        server = self.server
        password = password_of(user)
        expected = xor(sha256(password), sha256(sha256(sha256(password)) + nonce))
        with server.lock:
            cached = user in server.cache
        if cached and scramble == expected:
            wire.write(b"\x01\x03")  # fast_auth_success
            return b"fast"
        wire.write(b"\x01\x04")  # perform_full_authentication
        answer = wire.read()
        if secure:
            given, path = answer.rstrip(b"\x00"), b"full-tls"
        else:
            if answer == b"\x02":  # the client asks for the public key
                wire.write(b"\x01" + server.public_key)
                answer = wire.read()
            clear = server.decrypt(answer)
            if clear is None:
                return None
            given, path = xor(clear, nonce).rstrip(b"\x00"), b"full-rsa"
        if given != password:
            return None
        with server.lock:
            server.cache.add(user)
        return path

    @staticmethod
    def serve_commands(wire, answer):
        while True:
            wire.seq = 0
            packet = wire.read()
            command, body = packet[0], packet[1:]
            if command == 0x01:  # COM_QUIT
                return
            if command == 0x0E:  # COM_PING
                wire.ok()
            elif command == 0x03 and body.lstrip().upper().startswith(b"SELECT"):
                wire.write(lenenc_int(1))
                wire.write(lenenc_str(b"def") + lenenc_str(b"") + lenenc_str(b"") + lenenc_str(b"") + lenenc_str(b"login")
                           + lenenc_str(b"") + b"\x0c" + struct.pack("<HIBHB", UTF8MB4_GENERAL_CI, 256, 0xFD, 0, 0) + b"\x00\x00")
                wire.eof()
                wire.write(lenenc_str(answer))
                wire.eof()
            elif command == 0x03:
                wire.ok()
            else:
                wire.error(1047, b"08S01", b"Unknown command")


def main():
    directory = sys.argv[1]
    tls = "--tls" in sys.argv[2:]
    make_keys(directory, tls)
    server = Server(directory, tls)
    with open(f"{directory}/port.tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(f"{directory}/port.tmp", f"{directory}/port")
    server.serve_forever()


if __name__ == "__main__":
    main()
