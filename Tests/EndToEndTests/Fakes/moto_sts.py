#!/usr/bin/env python3
"""moto's server (STS among the rest) on 127.0.0.1 for imagegen's end-to-end
tests: AssumeRole and AssumeRoleWithWebIdentity answered as AWS does, and the
credentials it issued readable at /moto-api/data.json (fake_bedrock.py's
--issuer checks signatures against them).

Usage: moto_sts.py. Prints "PORT <n>" and serves until stdin closes or SIGTERM,
like the other fakes. Needs `pip install 'moto[server]'` (make test does it).
"""


from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from fakes_common import serve

server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=True)
serve(server)
