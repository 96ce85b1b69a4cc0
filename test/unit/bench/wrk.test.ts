import { durationMs, parseWrkReport } from '../../../bench/wrk';

// A report wrk 4.1.0 printed against congress-server (an unknown policy: every answer a 404).
const REPORT = `Running 1s test @ http://127.0.0.1:18801/v1/policies/nonexistent
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.87ms  670.88us   6.90ms   92.90%
    Req/Sec     2.57k   402.61     3.23k    60.00%
  Latency Distribution
     50%  679.00us
     75%  844.00us
     90%    1.31ms
     99%    4.22ms
  2556 requests in 1.00s, 0.95MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 2556
Requests/sec:   2552.55
Transfer/sec:      0.94MB
`;

describe('wrk report', () => {
  it('reads throughput, the median and the 99th percentile in milliseconds, and every error', () => {
    expect(parseWrkReport(REPORT)).toEqual({ rps: 2552.55, p50: 0.679, p99: 4.22, errors: 2559 });
  });

  it('counts no errors when wrk reports none', () => {
    const clean = REPORT.replace(/^\s*(Socket errors|Non-2xx).*\n/gm, '');
    expect(parseWrkReport(clean).errors).toBe(0);
  });

  it('converts every unit wrk prints', () => {
    expect([durationMs('306.00us'), durationMs('4.22ms'), durationMs('1.50s'), durationMs('2.00m')]).toEqual([0.306, 4.22, 1500, 120_000]);
  });

  it('refuses a report without the latency distribution instead of inventing figures', () => {
    expect(() => parseWrkReport(REPORT.replace(/^\s*99%.*\n/m, ''))).toThrow('no 99% line');
    expect(() => durationMs('4.22 ms')).toThrow('does not document');
  });
});
