// `npm run fake-openstack [-- --port N]`: starts the fake OpenStack services on loopback for a
// manual try-out and prints the auth_url and a datasource config to paste into
// `POST /v1/data-sources`. Ctrl-C stops it.
import { FakeCloud } from '../test/fixtures/openstack';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.FAKE_OPENSTACK_PORT ?? 0);
  const cloud = await FakeCloud.start(Number.isInteger(port) && port >= 0 ? port : 0);
  console.log(`fake OpenStack listening on ${cloud.origin}`);
  console.log(`auth_url: ${cloud.authUrl}`);
  console.log('datasource config:');
  console.log(JSON.stringify(cloud.config({ poll_time: 10 }), null, 2));
  console.log(`control: PUT ${cloud.origin}/_fake/<service>/<collection> (whole collection), POST/DELETE ${cloud.origin}/_fake/faults`);
  const stop = (): void => {
    void cloud.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
