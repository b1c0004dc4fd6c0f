//! LLM backends: the Anthropic Messages API and OpenAI-compatible chat
//! servers (OpenAI, vLLM, llama.cpp server, Ollama, ...), run the way the
//! study ran its classifiers (STUDY.md): the scrubbed, study-style rendering
//! of the transcript ([`crate::classify::render`]), one independent call per
//! facet with the facet's rubric and a closed label set, temperature 0.2.
//!
//! - Answers are parsed and checked against the closed label set (exact, or
//!   equal ignoring case and white space); one corrective retry, then the
//!   label is left absent with a warning. Nothing is guessed.
//! - Every answer is cached by (backend, model, rubric version, transcript
//!   digest, facet) through [`AnswerCache`]; a second run sends nothing.
//! - Bounded concurrency shared by all worker threads; retries with
//!   exponential backoff and jitter on 429, 5xx, timeouts and unreadable
//!   responses, honouring `retry-after`; spend caps (`--max-requests`,
//!   `--max-cost`); Ctrl-C stops sending and keeps what was answered.
//! - `--dry-run` prints exactly what would be sent for one session and
//!   measures the rendered size of every session, sending nothing.

pub mod cache;
pub mod interrupt;
pub mod price;
pub mod prompt;

pub use cache::{AnswerCache, CacheKey, JsonlCache, MemoryCache};

use crate::classify::render::{render, RenderOptions, Rendered};
use crate::classify::rubric::RUBRIC_SET_VERSION;
use crate::classify::{Backend, FacetId, Input, Labels};
use price::Price;
use prompt::Answer;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The default Anthropic model (a current Sonnet).
pub const DEFAULT_ANTHROPIC_MODEL: &str = "claude-sonnet-4-5";
pub const ANTHROPIC_VERSION: &str = "2023-06-01";
pub const DEFAULT_ANTHROPIC_BASE: &str = "https://api.anthropic.com";
pub const DEFAULT_OPENAI_BASE: &str = "https://api.openai.com/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Anthropic,
    OpenAi,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Anthropic => "anthropic",
            Provider::OpenAi => "openai",
        }
    }
    fn path(self) -> &'static str {
        match self {
            Provider::Anthropic => "messages",
            Provider::OpenAi => "chat/completions",
        }
    }
}

/// `{base}/v1/{path}`, or `{base}/{path}` when `base` already ends in `/v1`.
pub fn endpoint(base: &str, path: &str) -> String {
    let b = base.trim_end_matches('/');
    if b.ends_with("/v1") {
        format!("{b}/{path}")
    } else {
        format!("{b}/v1/{path}")
    }
}

/// Everything an LLM backend needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub provider: Provider,
    /// None (OpenAI-compatible only): ask the server (`GET /v1/models`).
    pub model: Option<String>,
    pub base_url: String,
    pub api_key: Option<String>,
    /// Where the key came from (shown instead of the key in `--dry-run`).
    pub api_key_source: Option<String>,
    pub temperature: f64,
    /// Requests in flight at once, over all worker threads.
    pub concurrency: usize,
    pub max_requests: Option<u64>,
    pub max_cost: Option<f64>,
    /// Overrides the price table.
    pub price: Option<Price>,
    pub timeout: Duration,
    /// HTTP attempts per call (first try included).
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Longest `retry-after` honoured.
    pub retry_after_max: Duration,
    pub refresh: bool,
    pub dry_run: bool,
    pub render: RenderOptions,
    /// Sessions without a human prompt are not sent (the study excluded them).
    pub skip_non_interactive: bool,
    /// Stop sending on Ctrl-C (installs a SIGINT handler).
    pub handle_ctrl_c: bool,
    pub quiet: bool,
}

impl Config {
    pub fn new(provider: Provider) -> Self {
        Config {
            provider,
            model: match provider {
                Provider::Anthropic => Some(DEFAULT_ANTHROPIC_MODEL.into()),
                Provider::OpenAi => None,
            },
            base_url: match provider {
                Provider::Anthropic => DEFAULT_ANTHROPIC_BASE.into(),
                Provider::OpenAi => DEFAULT_OPENAI_BASE.into(),
            },
            api_key: None,
            api_key_source: None,
            temperature: 0.2,
            concurrency: 4,
            max_requests: None,
            max_cost: None,
            price: None,
            timeout: Duration::from_secs(120),
            max_attempts: 6,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            retry_after_max: Duration::from_secs(300),
            refresh: false,
            dry_run: false,
            render: RenderOptions::default(),
            skip_non_interactive: true,
            handle_ctrl_c: true,
            quiet: false,
        }
    }
}

/// Builds the backend named by `--backend anthropic|openai` from the command
/// line; answers are cached in the SQLite store (a JSONL file in the user's
/// cache folder when no store can be opened; in memory only with `--no-store`).
pub fn from_args(
    b: &crate::cli::BackendArgs,
    g: &crate::cli::Global,
) -> anyhow::Result<LlmBackend> {
    let cfg = config_from_args(b, g)?;
    let cache: Arc<dyn AnswerCache> = if g.no_store {
        if !g.quiet && !b.dry_run {
            eprintln!("note: --no-store: LLM answers are kept in memory only and will be paid for again next run");
        }
        Arc::new(MemoryCache::new())
    } else if let Some(store) = crate::store::cache::answer_cache(g).ok().flatten() {
        // The SQLite store keeps the answers beside the records.
        store
    } else {
        match cache::default_path(g.store.as_deref()) {
            Some(p) => Arc::new(JsonlCache::open(&p)?),
            None => {
                if !g.quiet {
                    eprintln!("note: no cache folder found (HOME unset); LLM answers are kept in memory only");
                }
                Arc::new(MemoryCache::new())
            }
        }
    };
    LlmBackend::new(cfg, cache)
}

/// The backend configuration the command line asks for (the key is read
/// from the environment). [`LlmBackend::new`] with this and any
/// [`AnswerCache`] (the SQLite store's, for example) builds the same backend
/// as [`from_args`].
pub fn config_from_args(
    b: &crate::cli::BackendArgs,
    g: &crate::cli::Global,
) -> anyhow::Result<Config> {
    let provider = match b.backend.as_str() {
        "anthropic" => Provider::Anthropic,
        "openai" => Provider::OpenAi,
        other => anyhow::bail!("'{other}' is not an LLM backend"),
    };
    let mut cfg = Config::new(provider);
    if let Some(m) = &b.model {
        cfg.model = Some(m.clone());
    }
    if let Some(u) = &b.base_url {
        cfg.base_url = u.clone();
    }
    cfg.concurrency = b.concurrency.max(1);
    cfg.max_requests = b.max_requests;
    cfg.max_cost = b.max_cost;
    cfg.timeout = Duration::from_secs(b.timeout.max(1));
    cfg.refresh = b.refresh;
    cfg.dry_run = b.dry_run;
    cfg.render = RenderOptions {
        turn_chars: b.turn_chars.max(1),
        transcript_chars: b.transcript_chars.max(1),
    };
    cfg.quiet = g.quiet;
    if let Some(p) = &b.price {
        cfg.price = Some(price::parse(p).map_err(|e| anyhow::anyhow!("--price: {e}"))?);
    }
    // The key: --api-key-env names the variable; otherwise ANTHROPIC_API_KEY,
    // or OPENAI_API_KEY when talking to api.openai.com (a real OpenAI key is
    // not sent to other servers unless asked for).
    let var = match (&b.api_key_env, provider) {
        (Some(v), _) => Some(v.clone()),
        (None, Provider::Anthropic) => Some("ANTHROPIC_API_KEY".to_string()),
        (None, Provider::OpenAi) if b.base_url.is_none() => Some("OPENAI_API_KEY".to_string()),
        (None, Provider::OpenAi) => None,
    };
    if let Some(v) = &var {
        cfg.api_key = std::env::var(v).ok().filter(|k| !k.trim().is_empty());
        cfg.api_key_source = Some(v.clone());
    }
    if cfg.api_key.is_none() && !cfg.dry_run {
        match (provider, &var) {
            (Provider::Anthropic, Some(v)) => anyhow::bail!(
                "the anthropic backend needs an API key: set {v} (or name another variable with --api-key-env); \
                 --dry-run shows what would be sent without one"
            ),
            (Provider::OpenAi, Some(v)) if b.api_key_env.is_some() || b.base_url.is_none() => anyhow::bail!(
                "the openai backend needs an API key here: set {v} (a local server needs none: pass --base-url)"
            ),
            _ => {}
        }
    }
    Ok(cfg)
}

// ---------------------------------------------------------------------------
// Concurrency gate, budget, statistics

struct Gate {
    used: Mutex<usize>,
    cv: Condvar,
    max: usize,
}

struct Permit<'a>(&'a Gate);

impl Gate {
    fn acquire(&self) -> Permit<'_> {
        let mut n = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *n >= self.max {
            n = self.cv.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        *n += 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut n = self.0.used.lock().unwrap_or_else(|e| e.into_inner());
        *n -= 1;
        self.0.cv.notify_one();
    }
}

#[derive(Default, Debug, Clone, Copy)]
struct Spend {
    requests: u64,
    spent: f64,
    reserved: f64,
    input_tokens: u64,
    output_tokens: u64,
}

struct Budget {
    max_requests: Option<u64>,
    max_cost: Option<f64>,
    s: Mutex<Spend>,
}

impl Budget {
    /// Reserves one request of estimated cost `est`.
    fn reserve(&self, est: f64) -> Result<(), String> {
        let mut s = self.s.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = self.max_requests {
            if s.requests >= m {
                return Err(format!("--max-requests {m} reached"));
            }
        }
        if let Some(m) = self.max_cost {
            if s.spent + s.reserved + est > m {
                return Err(format!(
                    "--max-cost ${m:.2} reached (estimated ${:.4} spent)",
                    s.spent
                ));
            }
        }
        s.requests += 1;
        s.reserved += est;
        Ok(())
    }
    fn settle(&self, est: f64, input: u64, output: u64, cost: f64) {
        let mut s = self.s.lock().unwrap_or_else(|e| e.into_inner());
        s.reserved = (s.reserved - est).max(0.0);
        s.spent += cost;
        s.input_tokens += input;
        s.output_tokens += output;
    }
    fn snapshot(&self) -> Spend {
        *self.s.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Default)]
struct Stats {
    sessions: AtomicU64,
    not_interactive: AtomicU64,
    truncated: AtomicU64,
    cached: AtomicU64,
    answered: AtomicU64,
    invalid: AtomicU64,
    failed: AtomicU64,
    not_sent: AtomicU64,
    retries: AtomicU64,
    corrections: AtomicU64,
    warnings: AtomicU64,
}

fn inc(a: &AtomicU64) {
    a.fetch_add(1, Ordering::Relaxed);
}
fn get(a: &AtomicU64) -> u64 {
    a.load(Ordering::Relaxed)
}

#[derive(Default)]
struct DryRun {
    /// The session whose requests are printed: the smallest id sent.
    chosen: Option<(String, String)>,
    chars: Vec<usize>,
    would_send: u64,
    already_cached: u64,
}

/// What became of one facet.
enum Outcome {
    Answer(Answer),
    Invalid(String),
    Failed(String),
    NotSent,
}

enum CallErr {
    NotSent,
    Failed(String),
}

/// One HTTP request, exactly as sent.
pub struct Request {
    pub url: String,
    /// (name, value, secret): secret values are not printed by `--dry-run`.
    pub headers: Vec<(String, String, bool)>,
    pub body: String,
}

/// A reply's text and token usage.
struct Reply {
    text: String,
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
}

enum Sent {
    Ok(String),
    Status(u16, Option<Duration>, String),
    Transport(String, bool),
}

// ---------------------------------------------------------------------------

/// An LLM classifier backend (Anthropic or OpenAI-compatible).
pub struct LlmBackend {
    cfg: Config,
    model: String,
    price: Option<Price>,
    agent: ureq::Agent,
    cache: Arc<dyn AnswerCache>,
    systems: Vec<(FacetId, String)>,
    gate: Gate,
    budget: Budget,
    stats: Stats,
    stop: AtomicBool,
    stop_reason: Mutex<Option<String>>,
    /// After a 429 with `retry-after`, nobody sends before this instant.
    pause_until: Mutex<Option<Instant>>,
    dry: Mutex<DryRun>,
    jitter_seed: AtomicU64,
    started: Instant,
}

impl LlmBackend {
    /// A backend over `cache`. For an OpenAI-compatible server without a
    /// model name, asks the server for its model list (not in a dry run).
    pub fn new(cfg: Config, cache: Arc<dyn AnswerCache>) -> anyhow::Result<Self> {
        let agent = ureq::AgentBuilder::new()
            .timeout(cfg.timeout)
            .user_agent(concat!("agentcensus/", env!("CARGO_PKG_VERSION")))
            .build();
        let model = match (&cfg.model, cfg.dry_run) {
            (Some(m), _) => m.clone(),
            (None, true) => "<the server's first model from GET /v1/models>".to_string(),
            (None, false) => server_model(&agent, &cfg)?,
        };
        let price = cfg.price.or_else(|| price::lookup(&model));
        if cfg.max_cost.is_some() && price.is_none() && !cfg.dry_run {
            anyhow::bail!(
                "--max-cost needs a price for model '{model}', which is not in the price table: pass --price IN,OUT \
                 (US$ per million input and output tokens; 0,0 for a local server)"
            );
        }
        if cfg.handle_ctrl_c && !cfg.dry_run {
            interrupt::install();
        }
        Ok(LlmBackend {
            systems: FacetId::ALL
                .iter()
                .map(|f| (*f, prompt::system_prompt(*f)))
                .collect(),
            gate: Gate {
                used: Mutex::new(0),
                cv: Condvar::new(),
                max: cfg.concurrency.max(1),
            },
            budget: Budget {
                max_requests: cfg.max_requests,
                max_cost: cfg.max_cost,
                s: Mutex::new(Spend::default()),
            },
            stats: Stats::default(),
            stop: AtomicBool::new(false),
            stop_reason: Mutex::new(None),
            pause_until: Mutex::new(None),
            dry: Mutex::new(DryRun::default()),
            jitter_seed: AtomicU64::new(0),
            started: Instant::now(),
            model,
            price,
            agent,
            cache,
            cfg,
        })
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// HTTP requests sent so far (retries included).
    pub fn requests_sent(&self) -> u64 {
        self.budget.snapshot().requests
    }

    /// Estimated spend so far in US dollars (0 when the price is unknown).
    pub fn estimated_cost(&self) -> f64 {
        self.budget.snapshot().spent
    }

    /// Stops sending (what Ctrl-C does); later facets are left unlabelled.
    pub fn stop(&self, why: &str) {
        self.stop_with(why.to_string());
    }

    fn stop_with(&self, why: String) {
        if !self.stop.swap(true, Ordering::SeqCst) {
            *self.stop_reason.lock().unwrap_or_else(|e| e.into_inner()) = Some(why.clone());
            if !self.cfg.quiet {
                crate::progress::println_stderr(&format!(
                    "{}: stopped sending: {why}; answers received so far are cached, run again to continue",
                    self.cfg.provider.name()
                ));
            }
        }
    }

    fn fatal_message(&self, code: u16, body: &str, url: &str) -> String {
        let detail = error_detail(body);
        if code == 404 {
            format!(
                "HTTP 404{detail} from {url}: wrong --base-url or unknown --model '{}'",
                self.model
            )
        } else {
            format!(
                "HTTP {code}{detail}: the server refused the API key{}",
                self.cfg
                    .api_key_source
                    .as_ref()
                    .map(|v| format!(" (from {v})"))
                    .unwrap_or_default()
            )
        }
    }

    fn note_cap(&self, why: String) {
        let mut r = self.stop_reason.lock().unwrap_or_else(|e| e.into_inner());
        if r.is_none() {
            *r = Some(why.clone());
            if !self.cfg.quiet {
                crate::progress::println_stderr(&format!(
                    "{}: spend cap: {why}; no further requests; answers received so far are cached, \
                     run again (with a higher cap) to continue",
                    self.cfg.provider.name()
                ));
            }
        }
    }

    fn stopped(&self) -> bool {
        if self.stop.load(Ordering::SeqCst) {
            return true;
        }
        if self.cfg.handle_ctrl_c && interrupt::interrupted() {
            self.stop_with("interrupted (Ctrl-C)".into());
            return true;
        }
        false
    }

    fn warn(&self, sid: &str, f: FacetId, msg: &str) {
        let n = self.stats.warnings.fetch_add(1, Ordering::Relaxed);
        if self.cfg.quiet {
            return;
        }
        if n < 20 {
            crate::progress::println_stderr(&format!(
                "warning: session {sid}: {}: {msg}; label left absent",
                f.as_str()
            ));
        } else if n == 20 {
            crate::progress::println_stderr(
                "warning: further LLM answer warnings are counted but not printed",
            );
        }
    }

    fn key(&self, f: FacetId, digest: &str) -> CacheKey {
        CacheKey {
            backend: self.cfg.provider.name().to_string(),
            model: self.model.clone(),
            rubric_version: prompt::rubric_key(f),
            digest: digest.to_string(),
            facet: f.as_str().to_string(),
        }
    }

    fn system(&self, f: FacetId) -> &str {
        self.systems
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, s)| s.as_str())
            .unwrap_or("")
    }

    fn max_tokens(f: FacetId) -> u64 {
        if f == FacetId::Decisions {
            2000
        } else {
            1000
        }
    }

    /// The request for facet `f` with the conversation `msgs` (user first,
    /// alternating), exactly as it would go over the wire.
    pub fn request(&self, f: FacetId, msgs: &[(&str, &str)]) -> Request {
        let system = self.system(f);
        let url = endpoint(&self.cfg.base_url, self.cfg.provider.path());
        let mut headers = vec![(
            "content-type".to_string(),
            "application/json".to_string(),
            false,
        )];
        let messages: Vec<Value> = msgs
            .iter()
            .map(|(role, content)| json!({"role": role, "content": content}))
            .collect();
        let body = match self.cfg.provider {
            Provider::Anthropic => {
                if let Some(k) = &self.cfg.api_key {
                    headers.push(("x-api-key".into(), k.clone(), true));
                } else {
                    headers.push(("x-api-key".into(), String::new(), true));
                }
                headers.push(("anthropic-version".into(), ANTHROPIC_VERSION.into(), false));
                json!({
                    "model": self.model,
                    "max_tokens": Self::max_tokens(f),
                    "temperature": self.cfg.temperature,
                    "system": system,
                    "messages": messages,
                })
            }
            Provider::OpenAi => {
                if let Some(k) = &self.cfg.api_key {
                    headers.push(("authorization".into(), format!("Bearer {k}"), true));
                }
                let mut all = vec![json!({"role": "system", "content": system})];
                all.extend(messages);
                if openai_reasoning_model(&self.model) {
                    // These models take no temperature and count their hidden
                    // reasoning against max_completion_tokens.
                    json!({
                        "model": self.model,
                        "max_completion_tokens": Self::max_tokens(f) * 8,
                        "messages": all,
                    })
                } else {
                    json!({
                        "model": self.model,
                        "max_tokens": Self::max_tokens(f),
                        "temperature": self.cfg.temperature,
                        "messages": all,
                    })
                }
            }
        };
        Request {
            url,
            headers,
            body: body.to_string(),
        }
    }

    fn send_once(&self, req: &Request) -> Sent {
        let mut r = self.agent.post(&req.url);
        for (k, v, _) in &req.headers {
            r = r.set(k, v);
        }
        match r.send_string(&req.body) {
            Ok(resp) => match resp.into_string() {
                Ok(b) => Sent::Ok(b),
                Err(e) => Sent::Transport(
                    format!("reading the response: {e}"),
                    is_timeout(&e.to_string()),
                ),
            },
            Err(ureq::Error::Status(code, resp)) => {
                let ra = retry_after(&resp);
                let body = resp.into_string().unwrap_or_default();
                Sent::Status(code, ra, body)
            }
            Err(ureq::Error::Transport(t)) => {
                let s = t.to_string();
                let timeout = is_timeout(&s);
                Sent::Transport(s, timeout)
            }
        }
    }

    fn jitter(&self) -> f64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(self.jitter_seed.fetch_add(1, Ordering::Relaxed));
        (h.finish() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            let extra = Duration::from_millis((self.jitter() * 250.0) as u64);
            return ra.min(self.cfg.retry_after_max) + extra;
        }
        let exp = self
            .cfg
            .backoff_base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.cfg.backoff_max);
        // "Equal jitter": between half and all of the exponential delay.
        exp.mul_f64(0.5 + 0.5 * self.jitter())
    }

    /// Holds every sender back until `d` from now (the longest pause wins).
    fn pause_all(&self, d: Duration) {
        let until = Instant::now() + d;
        let mut p = self.pause_until.lock().unwrap_or_else(|e| e.into_inner());
        if p.is_none_or(|old| old < until) {
            *p = Some(until);
        }
    }

    fn wait_for_pause(&self) {
        let until = *self.pause_until.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(u) = until {
            let now = Instant::now();
            if u > now {
                self.sleep(u - now);
            }
        }
    }

    /// Sleeps, waking early when sending was stopped.
    fn sleep(&self, d: Duration) {
        let end = Instant::now() + d;
        while Instant::now() < end {
            if self.stopped() {
                return;
            }
            std::thread::sleep((end - Instant::now()).min(Duration::from_millis(50)));
        }
    }

    fn estimate_tokens(chars: usize) -> u64 {
        (chars as u64).div_ceil(4)
    }

    /// One logical call: HTTP attempts with retries until a readable reply.
    fn call(&self, f: FacetId, msgs: &[(&str, &str)]) -> Result<String, CallErr> {
        let req = self.request(f, msgs);
        let in_chars = self.system(f).len() + msgs.iter().map(|(_, c)| c.len()).sum::<usize>();
        let est_in = Self::estimate_tokens(in_chars);
        let est_out = if f == FacetId::Decisions { 400 } else { 120 };
        let price = self.price.unwrap_or(Price {
            input: 0.0,
            output: 0.0,
        });
        let est = price.cost(est_in, est_out);
        let mut last = String::new();
        for attempt in 0..self.cfg.max_attempts.max(1) {
            if self.stopped() {
                return Err(CallErr::NotSent);
            }
            self.wait_for_pause();
            let sent = {
                // Reserve only once a slot is free, so that at most
                // `concurrency` estimates are outstanding against the cap.
                let _permit = self.gate.acquire();
                if self.stopped() {
                    return Err(CallErr::NotSent);
                }
                if let Err(why) = self.budget.reserve(est) {
                    self.note_cap(why);
                    return Err(CallErr::NotSent);
                }
                let sent = self.send_once(&req);
                // Decided while still holding the slot, so no waiting
                // request slips out after a refused key.
                if let Sent::Status(code @ (401 | 403 | 404), _, body) = &sent {
                    self.stop_with(self.fatal_message(*code, body, &req.url));
                }
                sent
            };
            self.update_progress();
            let mut wait_hint = None;
            match sent {
                Sent::Ok(body) => match parse_reply(self.cfg.provider, &body) {
                    Ok(rep) => {
                        let i = rep.input_tokens.unwrap_or(est_in);
                        let o = rep
                            .output_tokens
                            .unwrap_or_else(|| Self::estimate_tokens(rep.text.len()));
                        self.budget.settle(est, i, o, price.cost(i, o));
                        self.update_progress();
                        return Ok(rep.text);
                    }
                    Err(e) => {
                        // Possibly billed: count the estimate.
                        self.budget.settle(est, est_in, 0, price.cost(est_in, 0));
                        last = format!("unreadable response ({e})");
                    }
                },
                Sent::Status(code, ra, body) => {
                    self.budget.settle(est, 0, 0, 0.0);
                    let detail = error_detail(&body);
                    match code {
                        408 | 409 | 425 | 429 | 500..=599 => {
                            last = format!("HTTP {code}{detail}");
                            wait_hint = ra;
                            if code == 429 {
                                // A rate limit holds for every request, not just this one.
                                if let Some(ra) = ra {
                                    self.pause_all(ra.min(self.cfg.retry_after_max));
                                }
                            }
                        }
                        _ => return Err(CallErr::Failed(format!("HTTP {code}{detail}"))),
                    }
                }
                Sent::Transport(e, timeout) => {
                    if timeout {
                        // A request that timed out may still be billed.
                        self.budget.settle(est, est_in, 0, price.cost(est_in, 0));
                        last = format!("timed out after {:?}", self.cfg.timeout);
                    } else {
                        self.budget.settle(est, 0, 0, 0.0);
                        last = e;
                    }
                }
            }
            if attempt + 1 < self.cfg.max_attempts {
                inc(&self.stats.retries);
                self.sleep(self.backoff(attempt, wait_hint));
            }
        }
        Err(CallErr::Failed(format!(
            "gave up after {} attempts: {last}",
            self.cfg.max_attempts
        )))
    }

    /// Asks facet `f` about `transcript`: one call, one corrective retry.
    fn ask(&self, f: FacetId, key: &CacheKey, transcript: &str, sid: &str) -> Outcome {
        let first = match self.call(f, &[("user", transcript)]) {
            Ok(t) => t,
            Err(CallErr::NotSent) => return Outcome::NotSent,
            Err(CallErr::Failed(m)) => {
                self.warn(sid, f, &format!("request failed: {m}"));
                return Outcome::Failed(m);
            }
        };
        let problem = match prompt::parse_answer(f, &first) {
            Ok(a) => {
                self.remember(key, &first, None);
                return Outcome::Answer(a);
            }
            Err(p) => p,
        };
        inc(&self.stats.corrections);
        let fix = prompt::corrective(f, &problem);
        let shown = if first.trim().is_empty() {
            "(empty reply)"
        } else {
            first.as_str()
        };
        let second = match self.call(
            f,
            &[("user", transcript), ("assistant", shown), ("user", &fix)],
        ) {
            Ok(t) => t,
            Err(CallErr::NotSent) => return Outcome::NotSent,
            Err(CallErr::Failed(m)) => {
                self.warn(sid, f, &format!("request failed: {m}"));
                return Outcome::Failed(m);
            }
        };
        match prompt::parse_answer(f, &second) {
            Ok(a) => {
                self.remember(key, &second, None);
                Outcome::Answer(a)
            }
            Err(p) => {
                let msg = format!("invalid answer twice ({problem}; then {p})");
                self.remember(key, &second, Some(&msg));
                self.warn(sid, f, &msg);
                Outcome::Invalid(msg)
            }
        }
    }

    fn remember(&self, key: &CacheKey, reply: &str, problem: Option<&str>) {
        let v = json!({"reply": reply, "valid": problem.is_none(), "problem": problem});
        if let Err(e) = self.cache.put(key, &v.to_string()) {
            if !self.cfg.quiet {
                crate::progress::println_stderr(&format!("warning: LLM answer cache: {e:#}"));
            }
        }
    }

    fn cached(&self, f: FacetId, key: &CacheKey) -> Option<Outcome> {
        let v: Value = serde_json::from_str(&self.cache.get(key)?).ok()?;
        let reply = v.get("reply")?.as_str()?;
        if v.get("valid").and_then(Value::as_bool) == Some(true) {
            prompt::parse_answer(f, reply).ok().map(Outcome::Answer)
        } else {
            let p = v
                .get("problem")
                .and_then(Value::as_str)
                .unwrap_or("invalid answer");
            Some(Outcome::Invalid(format!(
                "{p} (cached; --refresh asks again)"
            )))
        }
    }

    fn update_progress(&self) {
        let s = self.budget.snapshot();
        let msg = if self.price.is_some() {
            format!("sessions ${:.2} {} req", s.spent, s.requests)
        } else {
            format!("sessions {} req", s.requests)
        };
        crate::progress::set_message(&msg);
    }

    fn note_dry_run(&self, sid: &str, r: &Rendered, digest: &str) {
        let cached = if self.cfg.refresh {
            0
        } else {
            FacetId::ALL
                .iter()
                .filter(|f| self.cache.get(&self.key(**f, digest)).is_some())
                .count() as u64
        };
        let mut d = self.dry.lock().unwrap_or_else(|e| e.into_inner());
        d.chars.push(r.chars);
        d.would_send += FacetId::ALL.len() as u64 - cached;
        d.already_cached += cached;
        if d.chosen.as_ref().is_none_or(|(id, _)| sid < id.as_str()) {
            d.chosen = Some((sid.to_string(), r.text.clone()));
        }
    }

    fn print_dry_run(&self) {
        let d = self.dry.lock().unwrap_or_else(|e| e.into_inner());
        use std::io::Write;
        let out = std::io::stdout();
        let mut out = out.lock();
        if let Some((sid, text)) = &d.chosen {
            let _ = writeln!(
                out,
                "=== dry run: the {} requests for session {sid} (nothing was sent) ===",
                FacetId::ALL.len()
            );
            for (i, f) in FacetId::ALL.iter().enumerate() {
                let req = self.request(*f, &[("user", text)]);
                let _ = writeln!(
                    out,
                    "\n--- request {}/{}: {} ---\nPOST {}",
                    i + 1,
                    FacetId::ALL.len(),
                    f.as_str(),
                    req.url
                );
                for (k, v, secret) in &req.headers {
                    if *secret {
                        let src = self.cfg.api_key_source.as_deref().unwrap_or("the key");
                        let _ = writeln!(out, "{k}: <from {src}, not shown>");
                    } else {
                        let _ = writeln!(out, "{k}: {v}");
                    }
                }
                let _ = writeln!(out, "\n{}", req.body);
            }
        }
        drop(out);
        if self.cfg.quiet {
            return;
        }
        let n = d.chars.len();
        let sys: usize = self.systems.iter().map(|(_, s)| s.chars().count()).sum();
        let mut sorted = d.chars.clone();
        sorted.sort_unstable();
        let mean = if n > 0 {
            sorted.iter().sum::<usize>() as f64 / n as f64
        } else {
            0.0
        };
        let median = if n > 0 { sorted[n / 2] } else { 0 };
        let per_session_in = sys as f64 / 4.0 + FacetId::ALL.len() as f64 * mean / 4.0;
        let per_session_out = 8.0 * 120.0 + 400.0;
        eprintln!(
            "dry run ({} {}): {} sessions rendered, {} without a human prompt skipped; {} requests would be sent \
             ({} per session, retries aside), {} answers already cached",
            self.cfg.provider.name(),
            self.model,
            n,
            get(&self.stats.not_interactive),
            d.would_send,
            FacetId::ALL.len(),
            d.already_cached
        );
        eprintln!(
            "rendered transcript: mean {mean:.0} chars, median {median}, max {}; truncated {} of {n} ({:.1}%); \
             system prompts {sys} chars over the {} facets",
            sorted.last().copied().unwrap_or(0),
            get(&self.stats.truncated),
            if n > 0 {
                100.0 * get(&self.stats.truncated) as f64 / n as f64
            } else {
                0.0
            },
            FacetId::ALL.len()
        );
        let cost = self
            .price
            .map(|p| {
                format!(
                    "; about ${:.0} per 1,000 sessions at {}'s list price",
                    1000.0 * p.cost(per_session_in as u64, per_session_out as u64),
                    self.model
                )
            })
            .unwrap_or_default();
        eprintln!(
            "estimated tokens (chars/4): {:.0} input per session, {:.1}M input per 1,000 sessions; output assumed \
             ~{:.0} per session{cost}",
            per_session_in,
            per_session_in * 1000.0 / 1e6,
            per_session_out
        );
    }

    fn print_summary(&self) {
        if self.cfg.quiet {
            return;
        }
        let sessions = get(&self.stats.sessions);
        if sessions == 0 {
            return;
        }
        let s = self.budget.snapshot();
        let cost = if self.price.is_some() {
            format!(", estimated ${:.4}", s.spent)
        } else {
            String::new()
        };
        eprintln!(
            "{} {}: {} sessions ({} not sent: no human prompt), {} answers ({} from cache), {} HTTP requests \
             ({} retries, {} corrective), {} invalid, {} failed, {} not sent; tokens {} in / {} out{cost}; \
             transcripts truncated: {} of {}; {:.0} s",
            self.cfg.provider.name(),
            self.model,
            sessions,
            get(&self.stats.not_interactive),
            get(&self.stats.answered) + get(&self.stats.cached),
            get(&self.stats.cached),
            s.requests,
            get(&self.stats.retries),
            get(&self.stats.corrections),
            get(&self.stats.invalid),
            get(&self.stats.failed),
            get(&self.stats.not_sent),
            s.input_tokens,
            s.output_tokens,
            get(&self.stats.truncated),
            sessions - get(&self.stats.not_interactive),
            self.started.elapsed().as_secs_f64()
        );
    }

    fn apply(labels: &mut Labels, f: FacetId, a: Answer) {
        match a {
            Answer::Label(l) => labels.set(f, l),
            Answer::Decisions(d) => labels.decisions = Some(d),
        }
    }
}

impl Drop for LlmBackend {
    fn drop(&mut self) {
        if self.cfg.dry_run {
            self.print_dry_run();
        } else {
            self.print_summary();
        }
    }
}

impl Backend for LlmBackend {
    fn name(&self) -> &str {
        self.cfg.provider.name()
    }

    /// Records made with another model or transcript limits are classified again.
    fn fingerprint(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.cfg.provider.name(),
            self.model,
            self.cfg.render.turn_chars,
            self.cfg.render.transcript_chars
        )
    }

    fn classify(&self, input: &Input) -> anyhow::Result<Labels> {
        let s = input.session;
        let mut labels = Labels {
            backend: self.cfg.provider.name().to_string(),
            model: Some(self.model.clone()),
            rubric_version: RUBRIC_SET_VERSION.to_string(),
            ..Default::default()
        };
        inc(&self.stats.sessions);
        if self.cfg.skip_non_interactive && !s.interactive() {
            inc(&self.stats.not_interactive);
            return Ok(labels);
        }
        let r = render(s, &self.cfg.render);
        labels.truncated = r.truncated;
        if r.truncated {
            inc(&self.stats.truncated);
        }
        let digest = r.digest();
        if self.cfg.dry_run {
            self.note_dry_run(&s.id, &r, &digest);
            return Ok(labels);
        }
        let mut pending = Vec::new();
        for f in FacetId::ALL {
            let key = self.key(f, &digest);
            if !self.cfg.refresh {
                if let Some(o) = self.cached(f, &key) {
                    inc(&self.stats.cached);
                    match o {
                        Outcome::Answer(a) => Self::apply(&mut labels, f, a),
                        Outcome::Invalid(why) | Outcome::Failed(why) => {
                            inc(&self.stats.invalid);
                            labels.unlabelled.insert(f.as_str().to_string(), why);
                        }
                        Outcome::NotSent => {}
                    }
                    continue;
                }
            }
            pending.push((f, key));
        }
        let text = r.text.as_str();
        let sid = s.id.as_str();
        let outcomes: Vec<(FacetId, Outcome)> = if pending.len() <= 1 {
            pending
                .iter()
                .map(|(f, k)| (*f, self.ask(*f, k, text, sid)))
                .collect()
        } else {
            std::thread::scope(|sc| {
                let hs: Vec<_> = pending
                    .iter()
                    .map(|(f, k)| (*f, sc.spawn(move || self.ask(*f, k, text, sid))))
                    .collect();
                hs.into_iter()
                    .map(|(f, h)| {
                        (
                            f,
                            h.join()
                                .unwrap_or_else(|_| Outcome::Failed("internal error".into())),
                        )
                    })
                    .collect()
            })
        };
        for (f, o) in outcomes {
            match o {
                Outcome::Answer(a) => {
                    inc(&self.stats.answered);
                    Self::apply(&mut labels, f, a);
                }
                Outcome::Invalid(why) => {
                    inc(&self.stats.invalid);
                    labels.unlabelled.insert(f.as_str().to_string(), why);
                }
                Outcome::Failed(why) => {
                    inc(&self.stats.failed);
                    labels.unlabelled.insert(f.as_str().to_string(), why);
                }
                Outcome::NotSent => {
                    inc(&self.stats.not_sent);
                    let why = self
                        .stop_reason
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .clone()
                        .unwrap_or_else(|| "not sent".into());
                    labels
                        .unlabelled
                        .insert(f.as_str().to_string(), format!("not sent: {why}"));
                }
            }
        }
        Ok(labels)
    }
}

/// OpenAI reasoning models reject `temperature` and `max_tokens`.
pub fn openai_reasoning_model(model: &str) -> bool {
    let m = model.to_ascii_lowercase();
    let m = m.rsplit('/').next().unwrap_or(&m);
    ["o1", "o3", "o4", "gpt-5"]
        .iter()
        .any(|p| m == *p || m.starts_with(&format!("{p}-")))
        && !m.starts_with("gpt-5-chat")
}

fn is_timeout(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.contains("timed out") || l.contains("timeout") || l.contains("would block")
}

fn retry_after(resp: &ureq::Response) -> Option<Duration> {
    if let Some(ms) = resp
        .header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
    {
        return Some(Duration::from_secs_f64((ms / 1000.0).clamp(0.0, 3600.0)));
    }
    resp.header("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|s| Duration::from_secs_f64(s.clamp(0.0, 3600.0)))
}

fn error_detail(body: &str) -> String {
    let msg = serde_json::from_str::<Value>(body).ok().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("error"))
            .or_else(|| v.get("message"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    match msg {
        Some(m) if !m.is_empty() => format!(": {}", m.chars().take(200).collect::<String>()),
        _ if !body.trim().is_empty() => {
            format!(": {}", body.trim().chars().take(120).collect::<String>())
        }
        _ => String::new(),
    }
}

fn parse_reply(p: Provider, body: &str) -> Result<Reply, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let u = |k: &str| v.pointer(k).and_then(Value::as_u64);
    match p {
        Provider::Anthropic => {
            let blocks = v
                .get("content")
                .and_then(Value::as_array)
                .ok_or("no \"content\" array")?;
            let text: String = blocks
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("");
            Ok(Reply {
                text,
                input_tokens: u("/usage/input_tokens"),
                output_tokens: u("/usage/output_tokens"),
            })
        }
        Provider::OpenAi => {
            let text = v
                .pointer("/choices/0/message/content")
                .ok_or("no choices[0].message.content")?;
            Ok(Reply {
                text: text.as_str().unwrap_or("").to_string(),
                input_tokens: u("/usage/prompt_tokens"),
                output_tokens: u("/usage/completion_tokens"),
            })
        }
    }
}

/// The first model an OpenAI-compatible server lists.
fn server_model(agent: &ureq::Agent, cfg: &Config) -> anyhow::Result<String> {
    let url = endpoint(&cfg.base_url, "models");
    let mut r = agent.get(&url);
    if let Some(k) = &cfg.api_key {
        r = r.set("authorization", &format!("Bearer {k}"));
    }
    let body = r
        .call()
        .map_err(|e| {
            anyhow::anyhow!("no --model given and asking {url} for one failed: {e}; pass --model")
        })?
        .into_string()?;
    let v: Value = serde_json::from_str(&body).map_err(|e| {
        anyhow::anyhow!("no --model given and {url} did not answer JSON ({e}); pass --model")
    })?;
    v.pointer("/data/0/id")
        .or_else(|| v.pointer("/models/0/name"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no --model given and {url} lists no model; pass --model"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(
            endpoint("https://api.anthropic.com", "messages"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            endpoint("http://127.0.0.1:11434/v1/", "chat/completions"),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
        assert_eq!(
            endpoint("http://127.0.0.1:8080", "chat/completions"),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
    }

    #[test]
    fn reasoning_models_get_their_parameters() {
        assert!(openai_reasoning_model("gpt-5-mini"));
        assert!(openai_reasoning_model("o4-mini"));
        assert!(openai_reasoning_model("openai/o3"));
        assert!(!openai_reasoning_model("gpt-4o-mini"));
        assert!(!openai_reasoning_model("gpt-5-chat-latest"));
        assert!(!openai_reasoning_model("qwen2.5-coder:7b"));
        let mut c = Config::new(Provider::OpenAi);
        c.model = Some("o4-mini".into());
        c.dry_run = true;
        c.quiet = true;
        let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
        let v: Value =
            serde_json::from_str(&b.request(FacetId::Outcome, &[("user", "x")]).body).unwrap();
        assert!(v.get("temperature").is_none() && v.get("max_tokens").is_none());
        assert_eq!(v["max_completion_tokens"], 8000);
    }

    #[test]
    fn backoff_is_exponential_jittered_capped_and_honours_retry_after() {
        let mut c = Config::new(Provider::Anthropic);
        c.dry_run = true;
        c.quiet = true;
        let b = LlmBackend::new(c, Arc::new(MemoryCache::new())).unwrap();
        for attempt in 0..10u32 {
            let full = Duration::from_secs(1)
                .saturating_mul(1 << attempt)
                .min(Duration::from_secs(60));
            for _ in 0..20 {
                let d = b.backoff(attempt, None);
                assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
            }
        }
        let d = b.backoff(0, Some(Duration::from_secs(7)));
        assert!(d >= Duration::from_secs(7) && d <= Duration::from_millis(7250));
        let d = b.backoff(0, Some(Duration::from_secs(3600)));
        assert!(d <= Duration::from_millis(300_250), "retry-after is capped");
        // Jitter actually varies.
        let ds: std::collections::HashSet<_> = (0..20).map(|_| b.backoff(3, None)).collect();
        assert!(ds.len() > 1);
    }

    #[test]
    fn replies_of_both_apis() {
        let a = parse_reply(
            Provider::Anthropic,
            r#"{"content":[{"type":"text","text":"{\"label\":"},{"type":"text","text":"\"Fix\"}"}],"usage":{"input_tokens":10,"output_tokens":3}}"#,
        )
        .unwrap();
        assert_eq!(a.text, "{\"label\":\"Fix\"}");
        assert_eq!((a.input_tokens, a.output_tokens), (Some(10), Some(3)));
        let o = parse_reply(
            Provider::OpenAi,
            r#"{"choices":[{"message":{"role":"assistant","content":"hi"}}],"usage":{"prompt_tokens":7,"completion_tokens":1}}"#,
        )
        .unwrap();
        assert_eq!(o.text, "hi");
        assert_eq!(o.input_tokens, Some(7));
        assert!(parse_reply(Provider::OpenAi, "{\"choices\":[]}").is_err());
        assert!(parse_reply(Provider::Anthropic, "<html>").is_err());
    }
}
