//! The LLM backends against a real HTTP server on 127.0.0.1 (std only) that
//! speaks the Anthropic Messages and OpenAI chat-completions shapes and can
//! misbehave on cue: 429 with retry-after, 500s, slow replies (timeouts),
//! malformed JSON, off-list labels, 401. Every byte the server receives is
//! kept so tests can assert that planted secrets never reach it.

use agentcensus::classify::llm::{Config, LlmBackend, MemoryCache, Provider};
use agentcensus::classify::{Backend, FacetId, Input, Labels};
use agentcensus::session::Session;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ---------------------------------------------------------------------------
// The fake server

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
    raw: Vec<u8>,
}

impl Seen {
    fn header(&self, k: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    fn system(&self) -> String {
        let v = self.json();
        if let Some(s) = v.get("system").and_then(Value::as_str) {
            return s.to_string();
        }
        v.pointer("/messages/0/content")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    }
    fn is_decisions(&self) -> bool {
        self.system().contains("\"decisions\": [")
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Duration,
}

impl Reply {
    fn status(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }
}

/// What the script decides for request number `n` (0-based, POSTs and GETs
/// alike); `None` = a well-behaved answer.
type Script = dyn Fn(usize, &Seen) -> Option<Reply> + Send + Sync;

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    in_flight_max: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(script: impl Fn(usize, &Seen) -> Option<Reply> + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let in_flight_max = Arc::new(AtomicUsize::new(0));
        let counter = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let (seen2, stop2, max2) = (seen.clone(), stop.clone(), in_flight_max.clone());
        let handle = std::thread::spawn(move || {
            let mut workers = Vec::new();
            // Bounded: no test sends more than this many connections.
            for _ in 0..2000 {
                let Ok((stream, _)) = listener.accept() else {
                    break;
                };
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let (seen, script, counter, in_flight, max) = (
                    seen2.clone(),
                    script.clone(),
                    counter.clone(),
                    in_flight.clone(),
                    max2.clone(),
                );
                workers.push(std::thread::spawn(move || {
                    handle_conn(stream, &seen, &*script, &counter, &in_flight, &max);
                }));
            }
            for w in workers {
                let _ = w.join();
            }
        });
        Server {
            base: format!("http://{addr}"),
            seen,
            in_flight_max,
            stop,
            handle: Some(handle),
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    fn posts(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "POST")
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.base.trim_start_matches("http://"));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn handle_conn(
    stream: TcpStream,
    seen: &Mutex<Vec<Seen>>,
    script: &Script,
    counter: &AtomicUsize,
    in_flight: &AtomicUsize,
    max: &AtomicUsize,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut r = BufReader::new(stream.try_clone().unwrap());
    let mut raw = Vec::new();
    let mut line = String::new();
    if r.read_line(&mut line).unwrap_or(0) == 0 {
        return; // the shutdown poke
    }
    raw.extend_from_slice(line.as_bytes());
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    let mut len = 0usize;
    for _ in 0..200 {
        let mut h = String::new();
        if r.read_line(&mut h).unwrap_or(0) == 0 {
            break;
        }
        raw.extend_from_slice(h.as_bytes());
        let t = h.trim_end();
        if t.is_empty() {
            break;
        }
        if let Some((k, v)) = t.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            }
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut body = vec![0u8; len];
    if r.read_exact(&mut body).is_err() {
        return;
    }
    raw.extend_from_slice(&body);
    let req = Seen {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        raw,
    };
    // In flight: from the whole request read to just before the reply is
    // written (the client cannot start its next request before that).
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max.fetch_max(now, Ordering::SeqCst);
    let n = counter.fetch_add(1, Ordering::SeqCst);
    seen.lock().unwrap().push(req.clone());
    let reply = script(n, &req).unwrap_or_else(|| good_reply(&req, None));
    if !reply.delay.is_zero() {
        std::thread::sleep(reply.delay);
    }
    in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(reply.body.as_bytes());
    let _ = out.flush();
}

/// The label list the system prompt offers.
fn offered(req: &Seen) -> Vec<String> {
    let sys = req.system();
    let Some(i) = sys.find("closed list (JSON array):\n") else {
        return vec![];
    };
    let rest = &sys[i + "closed list (JSON array):\n".len()..];
    let line = rest.lines().next().unwrap_or("[]");
    serde_json::from_str(line).unwrap_or_default()
}

/// The model's text for `req`: the given label, or the first offered one.
fn answer_text(req: &Seen, label: Option<&str>) -> String {
    if req.is_decisions() {
        return json!({"decisions": [
            {"what": "fix the date rule", "kind": "planning", "by": "user"},
            {"what": "edit date.rs", "kind": "execution", "by": "agent"}
        ], "confidence": 0.7, "reason": "the user set the goal"})
        .to_string();
    }
    let l = label
        .map(str::to_string)
        .or_else(|| offered(req).into_iter().next())
        .unwrap_or_default();
    json!({"label": l, "confidence": 0.9, "reason": "planted reason"}).to_string()
}

/// A well-formed reply in the API shape of the request path.
fn good_reply(req: &Seen, label: Option<&str>) -> Reply {
    if req.method == "GET" && req.path.ends_with("/models") {
        return Reply::status(
            200,
            r#"{"object":"list","data":[{"id":"served-model","object":"model"}]}"#,
        );
    }
    let text = answer_text(req, label);
    let body = if req.path.ends_with("/v1/messages") {
        json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "m",
               "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
               "usage": {"input_tokens": 1000, "output_tokens": 50}})
    } else {
        json!({"id": "c1", "object": "chat.completion", "model": "m",
               "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 1000, "completion_tokens": 50, "total_tokens": 1050}})
    };
    Reply::status(200, &body.to_string())
}

// ---------------------------------------------------------------------------
// Helpers

fn fixture(name: &str) -> Vec<Session> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/llm")
        .join(name);
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn planted() -> Session {
    fixture("planted_secrets.jsonl").remove(0)
}

fn small() -> Session {
    fixture("two_more.jsonl").remove(0)
}

/// Distinctive pieces of every secret planted in the fixture.
const PLANTED: &[&str] = &[
    "R7t2Kq9Lm4Xv8Zp1",
    "198.51.100.23",
    "dana.okafor",
    "danaokafor",
    "7946 0321",
    "Pa55w0rdPlanted",
    "PlantedStripeKey",
    "PlantedAnthropicKey",
    "AKIAPLANTEDKEY",
    "MIIEplantedPRIVATE",
    "plantedbbbb",
    "PlantedSignature",
    "eyJzdWIiOiJwbGFudGVkIn0",
];

fn config(p: Provider, base: &str) -> Config {
    let mut c = Config::new(p);
    c.base_url = base.to_string();
    c.model = Some("test-model".into());
    c.api_key = Some("test-key-0001".into());
    c.api_key_source = Some("TEST_KEY".into());
    c.backoff_base = Duration::from_millis(5);
    c.backoff_max = Duration::from_millis(50);
    c.timeout = Duration::from_secs(5);
    c.handle_ctrl_c = false;
    c.quiet = true;
    c
}

fn classify(b: &LlmBackend, s: &Session) -> Labels {
    let m = agentcensus::measure::measure(s);
    b.classify(&Input {
        session: s,
        measured: &m,
    })
    .unwrap()
}

fn label_count(l: &Labels) -> usize {
    FacetId::ALL.iter().filter(|f| l.get(**f).is_some()).count()
        + usize::from(l.decisions.is_some())
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn anthropic_shape_headers_and_all_facets() {
    let srv = Server::start(|_, _| None);
    let mut c = config(Provider::Anthropic, &srv.base);
    c.model = Some("claude-sonnet-4-5".into());
    let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
    let l = classify(&b, &small());
    let posts = srv.posts();
    assert_eq!(posts.len(), 9, "one request per facet");
    for p in &posts {
        assert_eq!(p.path, "/v1/messages");
        assert_eq!(p.header("x-api-key"), Some("test-key-0001"));
        assert_eq!(p.header("anthropic-version"), Some("2023-06-01"));
        let v = p.json();
        assert_eq!(v["model"], "claude-sonnet-4-5");
        assert!((v["temperature"].as_f64().unwrap() - 0.2).abs() < 1e-6);
        assert!(v["system"].as_str().unwrap().contains("JSON object"));
        assert_eq!(v["messages"][0]["role"], "user");
        assert!(v["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("[USER]\nthe unit test"));
    }
    assert_eq!(label_count(&l), 9);
    assert_eq!(l.backend, "anthropic");
    assert_eq!(l.model.as_deref(), Some("claude-sonnet-4-5"));
    assert_eq!(l.work_mode.as_ref().unwrap().value, "Plan"); // first offered
    let d = l.decisions.as_ref().unwrap();
    assert_eq!(d.user_planning_share, Some(1.0));
    assert_eq!(d.user_execution_share, Some(0.0));
    assert!(
        b.estimated_cost() > 0.0,
        "usage tokens priced (sonnet table)"
    );
}

#[test]
fn openai_shape_and_model_from_server() {
    let srv = Server::start(|_, _| None);
    let mut c = config(Provider::OpenAi, &format!("{}/v1", srv.base));
    c.model = None;
    let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
    assert_eq!(b.model(), "served-model");
    let l = classify(&b, &small());
    let seen = srv.seen();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, "/v1/models");
    let posts = srv.posts();
    assert_eq!(posts.len(), 9);
    for p in &posts {
        assert_eq!(p.path, "/v1/chat/completions");
        assert_eq!(p.header("authorization"), Some("Bearer test-key-0001"));
        let v = p.json();
        assert_eq!(v["model"], "served-model");
        assert_eq!(v["messages"][0]["role"], "system");
        assert_eq!(v["messages"][1]["role"], "user");
    }
    assert_eq!(label_count(&l), 9);
    assert_eq!(l.outcome.as_ref().unwrap().value, "Succeeded");
}

#[test]
fn planted_secrets_never_reach_the_server() {
    let srv = Server::start(|_, _| None);
    let b = LlmBackend::new(
        config(Provider::OpenAi, &srv.base),
        Arc::new(MemoryCache::new()),
    )
    .unwrap();
    let l = classify(&b, &planted());
    assert_eq!(label_count(&l), 9);
    let posts = srv.posts();
    assert_eq!(posts.len(), 9);
    for p in &posts {
        let raw = String::from_utf8_lossy(&p.raw);
        for secret in PLANTED {
            assert!(!raw.contains(secret), "{secret} reached the server");
        }
        for placeholder in [
            "[SECRET:github_token]",
            "[IP]",
            "[EMAIL]",
            "[PHONE]",
            "/home/[USER]/app",
            "[SECRET:private_key]",
            "[SECRET:url_password]",
        ] {
            assert!(raw.contains(placeholder), "{placeholder} missing");
        }
    }
}

#[test]
fn second_run_sends_nothing_and_refresh_asks_again() {
    let srv = Server::start(|_, _| None);
    let cache = Arc::new(MemoryCache::new());
    let first = {
        let b = LlmBackend::new(config(Provider::Anthropic, &srv.base), cache.clone()).unwrap();
        let a = classify(&b, &small());
        let p = classify(&b, &planted());
        (a, p)
    };
    assert_eq!(srv.posts().len(), 18);
    let b = LlmBackend::new(config(Provider::Anthropic, &srv.base), cache.clone()).unwrap();
    let again = (classify(&b, &small()), classify(&b, &planted()));
    assert_eq!(srv.posts().len(), 18, "second run: zero requests");
    assert_eq!(b.requests_sent(), 0);
    assert_eq!(first, again);
    // Another model is another cache entry.
    let mut c = config(Provider::Anthropic, &srv.base);
    c.model = Some("other-model".into());
    let b = LlmBackend::new(c, cache.clone()).unwrap();
    classify(&b, &small());
    assert_eq!(srv.posts().len(), 27);
    let mut c = config(Provider::Anthropic, &srv.base);
    c.refresh = true;
    let b = LlmBackend::new(c, cache).unwrap();
    classify(&b, &small());
    assert_eq!(srv.posts().len(), 36, "--refresh ignores the cache");
}

#[test]
fn retries_on_429_500_malformed_and_timeouts() {
    // Per facet (keyed by the system prompt), the first attempts misbehave.
    let attempts: Arc<Mutex<std::collections::HashMap<String, usize>>> = Default::default();
    let a2 = attempts.clone();
    let srv = Server::start(move |_, req| {
        let mut m = a2.lock().unwrap();
        let k = m.entry(req.system()).or_insert(0);
        *k += 1;
        match *k {
            1 => Some(Reply {
                status: 429,
                headers: vec![("retry-after".into(), "1".into())],
                body:
                    r#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#
                        .into(),
                delay: Duration::ZERO,
            }),
            2 => Some(Reply::status(500, "oops")),
            3 => Some(Reply::status(200, "{\"content\": [ not json")),
            4 => Some(Reply {
                delay: Duration::from_millis(4500),
                ..good_reply(req, None)
            }),
            _ => None,
        }
    });
    let mut c = config(Provider::Anthropic, &srv.base);
    // Generous for a loopback reply, far below the slow one's delay.
    c.timeout = Duration::from_secs(2);
    c.concurrency = 9;
    let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
    let l = classify(&b, &small());
    assert_eq!(label_count(&l), 9, "every facet answered after retries");
    assert_eq!(srv.posts().len(), 9 * 5);
    assert_eq!(b.requests_sent(), 45);
}

#[test]
fn gives_up_after_max_attempts_and_leaves_label_absent() {
    let srv = Server::start(|_, req| {
        if req.system().contains("\"Plan\"") {
            Some(Reply::status(
                503,
                "{\"error\":{\"message\":\"overloaded\"}}",
            ))
        } else {
            None
        }
    });
    let mut c = config(Provider::OpenAi, &srv.base);
    c.max_attempts = 3;
    let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
    let l = classify(&b, &small());
    assert!(l.work_mode.is_none());
    assert!(l.unlabelled["work_mode"].contains("gave up after 3 attempts: HTTP 503: overloaded"));
    assert_eq!(label_count(&l), 8);
    assert_eq!(srv.posts().len(), 8 + 3);
}

#[test]
fn off_list_label_gets_one_corrective_retry() {
    // Work mode answers "Debugging" first, then a valid label.
    let srv = Server::start(|_, req| {
        if !req.system().contains("\"Plan\"") {
            return None;
        }
        let msgs = req.json()["messages"].as_array().map_or(0, |a| a.len());
        if msgs <= 1 {
            Some(good_reply(req, Some("Debugging")))
        } else {
            Some(good_reply(req, Some(" fix ")))
        }
    });
    let b = LlmBackend::new(
        config(Provider::Anthropic, &srv.base),
        Arc::new(MemoryCache::new()),
    )
    .unwrap();
    let l = classify(&b, &small());
    assert_eq!(l.work_mode.as_ref().unwrap().value, "Fix");
    let posts = srv.posts();
    assert_eq!(posts.len(), 10);
    let retry = posts
        .iter()
        .find(|p| p.json()["messages"].as_array().map_or(0, |a| a.len()) == 3)
        .expect("a corrective request");
    let v = retry.json();
    assert_eq!(v["messages"][1]["role"], "assistant");
    assert!(v["messages"][1]["content"]
        .as_str()
        .unwrap()
        .contains("Debugging"));
    let fix = v["messages"][2]["content"].as_str().unwrap();
    assert!(
        fix.contains("could not be used")
            && fix.contains("\"Debugging\" is not one of the allowed labels")
    );
}

#[test]
fn invalid_twice_is_recorded_absent_and_cached() {
    let srv = Server::start(|_, req| {
        if req.system().contains("\"Succeeded\"") {
            // Off-list, then malformed (OpenAI shape: system + user first).
            let msgs = req.json()["messages"].as_array().map_or(0, |a| a.len());
            if msgs <= 2 {
                Some(good_reply(req, Some("Mostly fine")))
            } else {
                Some(good_reply_text(req, "I would say it succeeded."))
            }
        } else {
            None
        }
    });
    let cache = Arc::new(MemoryCache::new());
    let b = LlmBackend::new(config(Provider::OpenAi, &srv.base), cache.clone()).unwrap();
    let l = classify(&b, &small());
    assert!(l.outcome.is_none(), "never guessed");
    assert_eq!(label_count(&l), 8);
    assert_eq!(srv.posts().len(), 10);
    let why = &l.unlabelled["outcome"];
    assert!(
        why.contains("invalid answer twice") && why.contains("\"Mostly fine\""),
        "{why}"
    );
    // The reason reaches the record.
    let s = small();
    let m = agentcensus::measure::measure(&s);
    let rec = agentcensus::record::SessionRecord::build(&s, &m, &l, "p");
    assert!(rec
        .reasons_json
        .contains("not labelled: invalid answer twice"));
    drop(b);
    let b = LlmBackend::new(config(Provider::OpenAi, &srv.base), cache).unwrap();
    let l = classify(&b, &small());
    assert!(l.outcome.is_none());
    assert_eq!(srv.posts().len(), 10, "the invalid outcome is cached too");
}

fn good_reply_text(req: &Seen, text: &str) -> Reply {
    let body = json!({"choices": [{"message": {"role": "assistant", "content": text}}],
                      "usage": {"prompt_tokens": 10, "completion_tokens": 5}});
    let _ = req;
    Reply::status(200, &body.to_string())
}

#[test]
fn max_requests_cap_is_enforced() {
    let srv = Server::start(|_, _| None);
    let mut c = config(Provider::Anthropic, &srv.base);
    c.max_requests = Some(5);
    c.concurrency = 3;
    let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
    let l1 = classify(&b, &small());
    let l2 = classify(&b, &planted());
    assert_eq!(srv.posts().len(), 5);
    assert_eq!(label_count(&l1) + label_count(&l2), 5);
    assert_eq!(l1.unlabelled.len() + l2.unlabelled.len(), 13);
    assert!(l2.unlabelled["outcome"].contains("--max-requests 5 reached"));
}

#[test]
fn max_cost_cap_is_enforced() {
    let srv = Server::start(|_, _| None);
    let mut c = config(Provider::OpenAi, &srv.base);
    // $1 per 1,000 input tokens; each reply reports 1,000 input tokens.
    c.price = Some(agentcensus::classify::llm::price::Price {
        input: 1000.0,
        output: 0.0,
    });
    c.max_cost = Some(3.5);
    c.concurrency = 1;
    let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
    classify(&b, &small());
    // The cap is checked against spend so far plus the estimate of the next
    // request (chars/4 tokens, here below the 1,000 tokens the server
    // reports), so the last request may overshoot by at most its own cost.
    let n = srv.posts().len();
    assert!((3..=4).contains(&n), "{n} requests under a $3.50 cap");
    assert!(b.estimated_cost() <= 3.5 + 1.0);
    let more = classify(&b, &planted());
    assert_eq!(label_count(&more), 0);
    assert_eq!(srv.posts().len(), n, "nothing sent once the cap is reached");
}

#[test]
fn unknown_price_with_max_cost_is_refused() {
    let mut c = config(Provider::OpenAi, "http://127.0.0.1:9");
    c.model = Some("local-llama".into());
    c.max_cost = Some(1.0);
    let e = LlmBackend::new(c, Arc::new(MemoryCache::new()))
        .err()
        .unwrap();
    assert!(e.to_string().contains("--price"));
}

#[test]
fn concurrency_is_bounded() {
    let srv = Server::start(|_, req| {
        Some(Reply {
            delay: Duration::from_millis(60),
            ..good_reply(req, None)
        })
    });
    let mut c = config(Provider::Anthropic, &srv.base);
    c.concurrency = 2;
    let b = Arc::new(LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap());
    let sessions = [small(), planted()];
    std::thread::scope(|sc| {
        for s in &sessions {
            let b = b.clone();
            sc.spawn(move || classify(&b, s));
        }
    });
    assert_eq!(srv.posts().len(), 18);
    let max = srv.in_flight_max.load(Ordering::SeqCst);
    assert!((1..=2).contains(&max), "max in flight {max}");
}

#[test]
fn unauthorized_stops_everything() {
    let srv = Server::start(|_, _| {
        Some(Reply::status(
            401,
            r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
        ))
    });
    let mut c = config(Provider::Anthropic, &srv.base);
    c.concurrency = 1;
    let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
    let l = classify(&b, &small());
    let l2 = classify(&b, &planted());
    assert_eq!(label_count(&l) + label_count(&l2), 0);
    assert_eq!(srv.posts().len(), 1, "no request after a 401");
}

#[test]
fn stopped_backend_sends_nothing_and_non_interactive_is_skipped() {
    let srv = Server::start(|_, _| None);
    let b = LlmBackend::new(
        config(Provider::OpenAi, &srv.base),
        Arc::new(MemoryCache::new()),
    )
    .unwrap();
    let headless = fixture("two_more.jsonl").remove(1);
    let l = classify(&b, &headless);
    assert_eq!(label_count(&l), 0);
    assert_eq!(srv.posts().len(), 0);
    b.stop("test");
    let l = classify(&b, &small());
    assert_eq!(label_count(&l), 0);
    assert_eq!(srv.posts().len(), 0);
}

// ---------------------------------------------------------------------------
// Through the command line

fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_agentcensus"))
}

fn tmpdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("agentcensus-llm-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/llm")
}

#[test]
fn cli_dry_run_prints_requests_and_sends_nothing() {
    let srv = Server::start(|_, _| None);
    let dir = tmpdir("dry");
    let out = bin()
        .args([
            "sessions",
            "--backend",
            "anthropic",
            "--dry-run",
            "--base-url",
            &srv.base,
        ])
        .arg("--store")
        .arg(dir.join("store.sqlite"))
        .arg(fixtures_dir())
        .env(
            "ANTHROPIC_API_KEY",
            "sk-ant-api03-NotARealKeyButLongEnough0000",
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(srv.seen().len(), 0, "dry run sent nothing");
    assert_eq!(
        stdout
            .matches(&format!("POST {}/v1/messages", srv.base))
            .count(),
        9
    );
    assert!(stdout.contains("x-api-key: <from ANTHROPIC_API_KEY, not shown>"));
    assert!(!stdout.contains("NotARealKey"));
    // The chosen session is the smallest id: the planted one.
    assert!(stdout.contains("requests for session fixture-planted-secrets"));
    for s in PLANTED {
        assert!(!stdout.contains(s), "{s} printed");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("18 requests would be sent"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_run_then_rerun_sends_zero_requests() {
    let srv = Server::start(|_, _| None);
    let dir = tmpdir("rerun");
    let run = || {
        bin()
            .args([
                "sessions",
                "--json",
                "--backend",
                "openai",
                "--model",
                "local-model",
                "--base-url",
            ])
            .arg(format!("{}/v1", srv.base))
            .arg("--store")
            .arg(dir.join("store.sqlite"))
            .arg(fixtures_dir())
            .output()
            .unwrap()
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(srv.posts().len(), 18, "2 interactive sessions x 9 facets");
    for p in srv.posts() {
        assert!(
            p.header("authorization").is_none(),
            "no key sent to a local server"
        );
        let raw = String::from_utf8_lossy(&p.raw);
        for s in PLANTED {
            assert!(!raw.contains(s), "{s} reached the server");
        }
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("\"backend\":\"openai\"").count(), 3);
    assert!(
        cached_answers(&dir.join("store.sqlite")) > 0,
        "answers kept in the store"
    );
    let out = run();
    assert!(out.status.success());
    assert_eq!(srv.posts().len(), 18, "second run: zero requests");
    assert_eq!(String::from_utf8_lossy(&out.stdout), stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_anthropic_without_key_says_what_to_do() {
    let out = bin()
        .args(["sessions", "--backend", "anthropic", "--no-store"])
        .arg(fixtures_dir())
        .env_remove("ANTHROPIC_API_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ANTHROPIC_API_KEY"));
}

#[cfg(unix)]
#[test]
fn cli_ctrl_c_stops_cleanly_and_keeps_answers() {
    let srv = Server::start(|_, req| {
        Some(Reply {
            delay: Duration::from_millis(150),
            ..good_reply(req, None)
        })
    });
    let dir = tmpdir("ctrlc");
    let cmd = |srv: &Server| {
        let mut c = bin();
        c.args([
            "sessions",
            "--backend",
            "openai",
            "--model",
            "m",
            "--concurrency",
            "1",
            "--base-url",
        ])
        .arg(&srv.base)
        .arg("--store")
        .arg(dir.join("store.sqlite"))
        .arg(fixtures_dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
        c
    };
    let child = cmd(&srv).spawn().unwrap();
    // Wait (bounded) until a few requests arrived, then press Ctrl-C.
    for _ in 0..400 {
        if srv.posts().len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(srv.posts().len() >= 2, "the run started");
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "clean exit: {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let sent = srv.posts().len();
    assert!(sent < 18, "stopped early ({sent} of 18)");
    assert_eq!(
        cached_answers(&dir.join("store.sqlite")) as usize,
        sent,
        "every answer received was kept"
    );
    // Running again asks only for what is missing.
    let out = cmd(&srv).output().unwrap();
    assert!(out.status.success());
    assert_eq!(srv.posts().len(), 18);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Answers kept in the store's LLM answer table.
fn cached_answers(store: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(store).unwrap();
    c.query_row("SELECT COUNT(*) FROM llm_answers", [], |r| r.get(0))
        .unwrap()
}
