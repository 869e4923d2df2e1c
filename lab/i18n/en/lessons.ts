/**
 * Each scenario's lesson in one sentence, in English, exactly as its scenario.ts
 * writes it (`lesson.sentence`; test/unit/translated-summary.test.ts keeps them
 * equal): the verdict's second line and the report's banner show the
 * translation where the scenario's sentence is this one. Part of
 * lab/i18n/en.ts (key `lessons`).
 */
export const lessons = {
  'app-servers': 'With the same 4 request slots, Gunicorn, uWSGI and mod_wsgi answer the same 4 / 50 ms = 80 req/s on waits: the slots set the pace, not the server.',
  'blocked-event-loop': 'CPU work on an event loop makes even a trivial /health probe wait its turn behind the running jobs; a free pre-forked worker answers it at once.',
  caching: 'With the cache lock one request per expiry refills the page (about 0.83 upstream req/s); without it every request arriving during the 200 ms refill goes upstream too: the stampede.',
  'crash-respawn': 'Each crash costs the request it killed and a boot time of an empty worker slot, so answered req/s falls as crashes grow: about 77 at 2 %, 65 at 10 % with a 100 ms boot.',
  'dev-server': 'One client that sends its headers slowly stops wsgiref, which serves one request at a time; Gunicorn loses one worker of four and keeps answering.',
  frameworks: 'A framework costs CPU on every request: on an empty endpoint Flask and Django spend more server CPU per response than the bare WSGI app, and one process serves at most 1 / that CPU.',
  'gevent-and-blocking': 'One gevent worker overlaps its waits only while they yield: a C call the monkey patch cannot see blocks every greenlet, and req/s falls to 1 / the wait.',
  'graceful-reload': 'A kill and restart refuses every connection in the gap; a graceful reload (HUP) keeps the listening socket open, so the deploy costs a latency spike and no errors.',
  'keep-alive': 'A new connection per request costs a handshake, an accept and a close on both sides; with no work per request that cost sets the pace, and keep-alive answers more req/s.',
  'load-balancing': "Round-robin sends fast requests to an upstream busy with slow ones; least connections keeps them away, so the fast requests' p99 falls.",
  'load-balancing-open': 'Near capacity, least connections behaves like one shared queue and keeps latency low; round-robin queues requests at a busy upstream while another has an idle worker.',
  'long-lived': 'Four open streams hold all four sync workers, so no other request is answered; one event loop holds the streams and keeps serving.',
  'open-vs-closed': "A closed loop slows down to the server's pace and never piles up past its connections; visitors arriving on their own past 80 req/s queue up and are dropped.",
  overload: 'Counted in answered (2xx) requests, a limit of 32 serves 32 / 50 ms = 640 req/s and sheds the rest as instant 503s, which are not served; the pre-fork pool answers its 80 req/s and makes the rest wait.',
  'overload-open': 'Past 80 req/s the pre-fork queue still answers about its capacity while its latency grows without bound; a limit of 4 answers fewer, shedding 503s at once, even below capacity.',
  'prefork-vs-async': 'On 50 ms waits one event loop overlaps every wait, while 4 blocking workers cap at 4 / 50 ms = 80 req/s.',
  preload: 'Preloading imports the 32 MiB module once in the master and shares it copy-on-write: summed PSS falls by about (W - 1) x 32 MiB, while RSS per worker barely changes.',
  'proxy-buffering': 'Three slow clients hold all three bare sync workers, so the fast requests stop; a buffering proxy reads the slow requests itself, and the workers keep answering.',
  'proxy-headers': 'Behind nginx the servers differ in what they believe, not in speed: Gunicorn takes only the scheme from X-Forwarded-Proto, Uvicorn trusting * takes a forged X-Forwarded-For as the client (the tests check it; the run measures the load).',
  'rate-limiting': 'With limit_req the abusive client gets 429s at once and the normal clients keep their unloaded latency; without a limit (the full run) the abuser holds the workers and normal requests queue.',
  scale: "Neither server reaches the textbook's c / 50 ms: the event loop runs out of one core's CPU and the 64-worker pool out of cores (and memory), long before 10,000 connections.",
  'static-offload': 'Serving the files from the proxy frees the workers from them, but the pages stay capped at 4 workers / 50 ms = 80 pages/s: judge it by pages/s, not files/s.',
  'threads-and-the-gil': "Threads overlap waits but not Python CPU work: on 10 ms of CPU one process with 8 threads serves one core's 100 req/s, eight processes both cores' 200.",
  tls: 'A new connection per request pays a TCP and a full TLS handshake every time; keep-alive pays them once per connection and answers far more req/s.',
  'uwsgi-protocol': "The uwsgi binary protocol saves uWSGI its HTTP parsing: less server CPU per response, a small share of the whole request's cost, so req/s barely moves.",
  websockets: 'One event loop holds all 500 sockets and relays every message; the pre-fork WSGI server answers the upgrade as a plain GET and delivers nothing.',
  'worker-recycling': 'Without jitter every worker reaches max_requests together and they restart at once, emptying a second of answers; jitter staggers the restarts.',
  'worker-sweep': 'Throughput climbs by 20 req/s per worker until the two cores are busy, then flattens: past the knee (cores x (1 + wait / cpu) = 10 workers) more workers add memory, not req/s.',
  'worker-timeout': '5 % of requests hang, but each holds its worker for the whole 1 s timeout, so more than half of the worker time is lost and answered req/s falls by far more than 5 %.',
} as const
