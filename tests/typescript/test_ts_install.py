"""A fresh project installs the generated package as its users would and runs an event through.

The package is installed from its folder (no build step: it is ESM JavaScript with
declarations) and from its ``npm pack`` tarball, together with the runtime's tarball (it is not
in the registry yet) and nats.js from the registry. From a folder, npm links it; a linked
folder finds its dependencies from where it really is, so the folder either sits inside the
project (``npm install ./vendor/events``) or is installed as a copy (``--install-links``).
The consumer is TypeScript compiled with ``tsc --strict`` against the installed declarations;
it publishes an order through the generated publisher to a real nats-server and reads it back
through the generated subscriber.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from nats.aio.client import Client
from specgen_runtime.servers import NatsServer
from ts_support import GENERATED, NODE, NPM, TOOLS, npm_pack, run, tsc

from tests.e2e.site_streams import SITE, create_site_streams, examples

pytestmark = [pytest.mark.slow, pytest.mark.nats]

MAIN = """\
import { connect } from "@nats-io/transport-node";
import {
  OrdersPublisher,
  OrdersSubscriber,
  PACKAGE_NAME,
  buildInfo,
  type models,
} from "@powerflex/events";

const [url, siteId, text] = process.argv.slice(2) as [string, string, string];
const data = JSON.parse(text) as models.OrderCreated;
const nc = await connect({ servers: url, timeout: 5000 });
try {
  const subscription = await new OrdersSubscriber(nc).orderCreatedV1({ siteId });
  const published = await new OrdersPublisher(nc).orderCreatedV1(data, { siteId, id: "fresh-1" });
  const received = await subscription.next(10_000);
  await received.ackAck();
  await subscription.close();
  console.log(JSON.stringify({ package: PACKAGE_NAME, stream: published.stream,
    id: received.event.id, data: received.event.data, commit: buildInfo().commit }));
} finally {
  await nc.close();
}
"""

TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "lib": ["ES2024"],
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "types": ["node"],
        "strict": True,
        "skipLibCheck": True,
        "outDir": "out",
    },
    "include": ["main.ts"],
}


def _pins(*names: str) -> list[str]:
    tools = json.loads((TOOLS / "package.json").read_text())
    pins = {**tools["dependencies"], **tools["devDependencies"]}
    return [f"{name}@{pins[name]}" for name in names]


@pytest.mark.parametrize("source", ["folder-in-project", "folder-install-links", "tarball"])
async def test_a_fresh_project_installs_the_package_and_runs_an_event_through(
    source: str,
    ts_runtime: Path,
    node_tools: Path,
    tmp_path: Path,
    nc: Client,
    nats_server: NatsServer,
) -> None:
    assert NODE is not None and NPM is not None
    project = tmp_path / "consumer"
    project.mkdir()
    (project / "package.json").write_text('{"name": "consumer", "private": true, "type": "module"}')
    install = [NPM, "install", "--no-audit", "--no-fund", "--prefer-offline"]
    if source == "folder-in-project":
        shutil.copytree(GENERATED, project / "vendor" / "events")
        package = "./vendor/events"
    else:
        shutil.copytree(GENERATED, tmp_path / "events")
        if source == "folder-install-links":
            package, install = str(tmp_path / "events"), [*install, "--install-links"]
        else:
            package = str(npm_pack(tmp_path / "events", tmp_path))
    install += [str(npm_pack(ts_runtime, tmp_path)), package]
    install += _pins("@nats-io/transport-node", "@types/node")
    run(install, project, timeout=300)
    (project / "main.ts").write_text(MAIN)
    (project / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    tsc(node_tools, "-p", "tsconfig.json", cwd=project)

    await create_site_streams(nc.jetstream())
    example = next(ex for ex in examples() if ex.event["name"] == "OrderCreatedV1")
    payload = json.dumps(example.payload)
    process = await asyncio.create_subprocess_exec(
        NODE, "out/main.js", nats_server.url, SITE, payload, cwd=project,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()[-3000:]
    result = json.loads(out.decode().strip().splitlines()[-1])
    assert result == {"package": "@powerflex/events", "stream": "ORDERS", "id": "fresh-1",
                      "data": example.payload, "commit": None}  # fmt: skip
    installed = project / "node_modules" / "@powerflex" / "events"
    assert installed.is_symlink() == (source == "folder-in-project")
    assert not (installed / "dist").exists() and (installed / "lib" / "index.d.ts").is_file()
