//! Scrubber: secrets and personal data become typed placeholders before any
//! text leaves the machine (LLM requests) or reaches an output that carries
//! text (reasons, reports).
//!
//! What is replaced, and with what:
//!
//! | found | placeholder |
//! |---|---|
//! | private key blocks (PEM, OpenSSH), also when cut off | `[SECRET:private_key]` |
//! | Anthropic, OpenAI, GitHub, GitLab, Slack, Stripe, AWS, Google, Hugging Face, npm, PyPI keys and tokens | `[SECRET:<kind>]` |
//! | JSON Web Tokens | `[SECRET:jwt]` |
//! | `Bearer ...` / `Basic ...` credentials | `Bearer [SECRET:bearer_token]` |
//! | `scheme://user:password@host` | `scheme://[USER]:[SECRET:url_password]@host` |
//! | env-style assignments `API_KEY=...`, `DB_PASSWORD: ...`, quoted config keys `"password": "..."`, flags `--token ...` | `NAME=[SECRET:assignment]` |
//! | e-mail addresses | `[EMAIL]` |
//! | phone numbers (with a leading `+` country code, or the `(555) 123-4567` / `555-123-4567` shapes) | `[PHONE]` |
//! | IPv4 and IPv6 addresses (loopback and unspecified kept) | `[IP]` |
//! | the user name in home paths `/home/NAME`, `/Users/NAME`, `C:\Users\NAME` | `/home/[USER]` ... |
//! | that same user name anywhere else in the text ([`Scrubber::with_names`]) | `[USER]` |
//!
//! Trade-offs (documented in docs/llm.md as well):
//! - Generic high-entropy strings are NOT treated as secrets: git commit hashes,
//!   sha256 digests, UUIDs and base64 blobs survive unless they sit in a
//!   secret-looking assignment or carry a known token prefix. A secret with no
//!   recognisable shape or name can therefore get through.
//! - Four-part version numbers that are also valid IPv4 addresses
//!   (`1.2.3.4`) become `[IP]`; versions after a `v` or with more parts survive.
//! - Phone numbers need a `+` country code or the North-American shape;
//!   other local formats are not recognised (too close to ordinary numbers).
//!   Dates, times, versions and ids survive.
//! - An e-mail-shaped `name@host.tld` inside code (rare) is replaced; package
//!   specs like `react@18.2.0`, `git@github.com:` remotes and the agents'
//!   `noreply@anthropic.com` co-author line survive.
//! - Placeholders are never matched again, so scrubbing is idempotent.

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::OnceLock;

/// One compiled pattern and the literals one of which any match contains
/// (checked first with memchr: most texts hold none, and most patterns have
/// no literal prefix the regex engine could skip to on its own).
struct Rule {
    re: Regex,
    needles: &'static [&'static str],
    /// Needles are lower case and compared with the lower-cased text.
    icase: bool,
}

struct Rules {
    private_key: Rule,
    private_key_cut: Rule,
    private_key_tail: Rule,
    tokens: Vec<(Rule, &'static str)>,
    jwt: Rule,
    bearer: Rule,
    url_password: Rule,
    env_assign: Rule,
    quoted_assign: Rule,
    flag_assign: Rule,
    email: Rule,
    home: Rule,
    ipv6: Rule,
    ipv4: Rule,
    phone_intl: Rule,
    phone_na: Rule,
}

/// Compiles a pattern with ASCII word boundaries and digits: Unicode `\b`
/// makes the fast regex engines give up on non-ASCII text (about 50x slower).
fn ascii(s: &str) -> String {
    s.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]")
}

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| {
        let re = |p: &str, needles: &'static [&'static str]| Rule {
            re: Regex::new(&ascii(p)).expect("scrubber pattern compiles"),
            needles,
            icase: p.starts_with("(?i)"),
        };
        Rules {
        private_key: re(
            r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----", &["PRIVATE KEY"],
        ),
        // A block whose end was cut off (or escaped into one JSON line).
        private_key_cut: re(
            r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----(?:[A-Za-z0-9+/=:\-,. \t\r\n]|\\[nrt])*", &["PRIVATE KEY"],
        ),
        // The tail of a block whose beginning was cut off.
        private_key_tail: re(
            r"(?:[A-Za-z0-9+/=]{16,}(?:\s|\\[nrt])+)+-----END ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----", &["PRIVATE KEY"],
        ),
        tokens: vec![
            (re(r"\bsk-ant-[A-Za-z0-9_\-]{20,}", &["sk-ant-"]), "anthropic_key"),
            (
                re(
                    r"\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}",
                    &["sk-"],
                ),
                "openai_key",
            ),
            (re(r"\bgh[pousr]_[A-Za-z0-9]{30,}", &["gh"]), "github_token"),
            (re(r"\bgithub_pat_[A-Za-z0-9_]{22,}", &["github_pat_"]), "github_token"),
            (
                re(r"\bgl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|agent)-[A-Za-z0-9_\-]{20,}", &["gl"]),
                "gitlab_token",
            ),
            (re(r"\bxox[abposre]-[A-Za-z0-9\-]{10,}", &["xox"]), "slack_token"),
            (
                re(r"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_\-]+", &["hooks.slack.com"]),
                "slack_webhook",
            ),
            (
                re(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}", &["_live_", "_test_"]),
                "stripe_key",
            ),
            (re(r"\bwhsec_[A-Za-z0-9+/=]{20,}", &["whsec_"]), "stripe_key"),
            (
                re(r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b", &["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "APKA"]),
                "aws_access_key",
            ),
            (re(r"\bAIza[0-9A-Za-z_\-]{35}", &["AIza"]), "google_api_key"),
            (re(r"\bya29\.[0-9A-Za-z_\-]{20,}", &["ya29."]), "google_oauth_token"),
            (re(r"\bGOCSPX-[A-Za-z0-9_\-]{20,}", &["GOCSPX-"]), "google_client_secret"),
            (re(r"\bhf_[A-Za-z0-9]{30,}", &["hf_"]), "huggingface_token"),
            (re(r"\bnpm_[A-Za-z0-9]{36}\b", &["npm_"]), "npm_token"),
            (re(r"\bpypi-[A-Za-z0-9_\-]{40,}", &["pypi-"]), "pypi_token"),
        ],
        jwt: re(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", &["eyJ"]),
        bearer: re(r"(?i)\b(bearer|basic|token)(\s+)([A-Za-z0-9._~+/\-]{16,}=*)", &["bearer", "basic", "token"]),
        url_password: re(r"\b([A-Za-z][A-Za-z0-9+.\-]*://)([^/\s:@\[\]]+):([^/\s@\[\]]+)@", &["://"]),
        env_assign: re(
            r"\b([A-Z][A-Z0-9_]*(?:API_?KEY|APIKEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|_KEY|SECRET|TOKEN|PASSWORD|PASSWD|_PASS|_PWD|CREDENTIALS?|_AUTH)[A-Z0-9_]*)(\s*[=:]\s*)(\\?[\x22'`]?)([^\s\x22'`,;\\)]+)", &["KEY", "SECRET", "TOKEN", "PASS", "PWD", "CREDENTIAL", "AUTH"],
        ),
        quoted_assign: re(
            r#"(?i)(\\?["']?)\b([A-Za-z0-9_\-]*(?:password|passwd|secret|api_?key|apikey|access_?token|auth_?token|refresh_?token|private_?key|token))(\\?["']?\s*[:=]\s*)(\\?["'])([^"'\s\\]{3,})(\\?["'])"#, &["pass", "secret", "key", "token"],
        ),
        flag_assign: re(
            r"(--(?:password|passwd|token|api-key|apikey|secret|access-token|auth-token)(?:=|[ \t]+))([\x22']?)([^\s\x22']{3,})", &["--"],
        ),
        email: re(r"\b[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b", &["@"]),
        home: re(
            r"(/home/|/Users/|/mnt/[a-z]/Users/|[A-Za-z]:\\\\Users\\\\|[A-Za-z]:\\Users\\|[A-Za-z]:/Users/)([^/\\\s\x22'`:;,*?<>|\[\]()]+)", &["/home/", "/Users/", "Users\\"],
        ),
        ipv6: re(r"(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[0-9a-z]+)?", &["::", ":"]),
        ipv4: re(r"\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\b", &["."]),
        phone_intl: re(r"\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}", &["+"]),
        phone_na: re(r"(?:\(\d{3}\)\s?|\b\d{3}[.\-])\d{3}[.\-]\d{4}\b", &["-", "."]),
        }
    })
}

/// Words that look like user names in home paths but are not personal.
const NOT_PERSONAL: &[&str] = &[
    "shared",
    "public",
    "default",
    "all users",
    "user",
    "users",
    "username",
    "name",
    "you",
    "me",
    "runner",
    "ubuntu",
    "root",
    "admin",
    "administrator",
    "guest",
    "node",
    "app",
    "www",
    "build",
    "ci",
    "vscode",
    "codespace",
    "jovyan",
    "linuxbrew",
    "[user]",
    "$user",
    "%username%",
    "<user>",
    "<username>",
    "{user}",
    "...",
    "~",
];

fn personal_name(n: &str) -> bool {
    let l = n.to_ascii_lowercase();
    !NOT_PERSONAL.contains(&l.as_str())
        && !n.starts_with('$')
        && !n.starts_with('%')
        && !n.starts_with('<')
        && !n.starts_with('{')
        && !n.starts_with('[')
}

/// User names found in home-directory paths of `text` (to scrub them
/// elsewhere in the same session as well).
pub fn home_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in rules().home.re.captures_iter(text) {
        let n = &c[2];
        if home_at(text, c.get(0).map_or(0, |m| m.start()))
            && personal_name(n)
            && !out.iter().any(|x| x == n)
        {
            out.push(n.to_string());
        }
    }
    out
}

/// A scrubber that also replaces known user names (learnt from home paths of
/// the whole session) wherever they occur as a word.
#[derive(Default)]
pub struct Scrubber {
    names: Option<Regex>,
}

impl Scrubber {
    pub fn new() -> Self {
        Scrubber { names: None }
    }

    /// Also replace these names (at least 3 characters, case-insensitive,
    /// whole words) with `[USER]`.
    pub fn with_names(names: &[String]) -> Self {
        let mut ns: Vec<&String> = names
            .iter()
            .filter(|n| n.chars().count() >= 3 && personal_name(n))
            .collect();
        ns.sort_by_key(|n| std::cmp::Reverse(n.len()));
        ns.dedup();
        if ns.is_empty() {
            return Scrubber::new();
        }
        // ASCII word boundaries (fast on any text) where the name starts or
        // ends with an ASCII word character.
        let edge = |c: Option<char>| {
            if c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                r"(?-u:\b)"
            } else {
                ""
            }
        };
        let alt = ns
            .iter()
            .map(|n| {
                format!(
                    "{}{}{}",
                    edge(n.chars().next()),
                    regex::escape(n),
                    edge(n.chars().next_back())
                )
            })
            .collect::<Vec<_>>()
            .join("|");
        Scrubber {
            names: Regex::new(&format!(r"(?i)(?:{alt})")).ok(),
        }
    }

    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let out = scrub(text);
        match &self.names {
            Some(r) if r.is_match(&out) => Cow::Owned(r.replace_all(&out, "[USER]").into_owned()),
            _ => out,
        }
    }
}

/// Replaces secrets and personal data in `text` with typed placeholders.
/// Returns the input unchanged (borrowed) when nothing was found.
///
/// A replacement can change what a rule judged earlier in the same pass (a
/// value kept as prose can turn into a secret-looking one once a home path
/// inside it is replaced), so passes repeat until nothing changes (at most
/// three; the second pass is cheap: the prefilters skip most rules).
pub fn scrub(text: &str) -> Cow<'_, str> {
    let mut out = match scrub_pass(text) {
        Cow::Borrowed(b) => return Cow::Borrowed(b),
        Cow::Owned(o) => o,
    };
    for _ in 0..2 {
        match scrub_pass(&out) {
            Cow::Borrowed(_) => break,
            Cow::Owned(o) => out = o,
        }
    }
    Cow::Owned(out)
}

fn scrub_pass(text: &str) -> Cow<'_, str> {
    let r = rules();
    let mut s: Cow<str> = Cow::Borrowed(text);
    let lower = std::cell::OnceCell::new();
    let hits = |rule: &Rule| {
        if rule.icase {
            let l: &String = lower.get_or_init(|| text.to_ascii_lowercase());
            rule.needles
                .iter()
                .any(|n| memchr::memmem::find(l.as_bytes(), n.as_bytes()).is_some())
        } else {
            rule.needles
                .iter()
                .any(|n| memchr::memmem::find(text.as_bytes(), n.as_bytes()).is_some())
        }
    };
    let fixed = |rep: &'static str| move |_: &str, _: &Captures| Some(rep.to_string());

    s = step(s, &r.private_key, &hits, fixed("[SECRET:private_key]"));
    s = step(s, &r.private_key_cut, &hits, fixed("[SECRET:private_key]"));
    s = step(s, &r.private_key_tail, &hits, fixed("[SECRET:private_key]"));
    for (re, kind) in &r.tokens {
        let kind = *kind;
        s = step(s, re, &hits, move |_, c| {
            // OpenAI keys always mix letters and digits; kebab-case words do not.
            if kind == "openai_key" && !c[0].chars().any(|ch| ch.is_ascii_digit()) {
                return None;
            }
            Some(format!("[SECRET:{kind}]"))
        });
    }
    s = step(s, &r.jwt, &hits, fixed("[SECRET:jwt]"));
    s = step(s, &r.bearer, &hits, |_, c| {
        let v = &c[3];
        let credential = if c[1].eq_ignore_ascii_case("token") {
            looks_random(v)
        } else if c[1].eq_ignore_ascii_case("basic") {
            // Base64 of user:password: padded to a multiple of 4, with a digit or padding.
            v.len() % 4 == 0
                && !v.contains(['.', '~', '-'])
                && (v.ends_with('=') || v.chars().any(|ch| ch.is_ascii_digit()))
        } else {
            mixed(v)
        };
        credential.then(|| format!("{}{}[SECRET:bearer_token]", &c[1], &c[2]))
    });
    s = step(s, &r.url_password, &hits, |_, c| {
        if c[3].starts_with("[SECRET") {
            return Some(format!("{}[USER]:{}@", &c[1], &c[3]));
        }
        Some(format!("{}[USER]:[SECRET:url_password]@", &c[1]))
    });
    s = step(s, &r.env_assign, &hits, |_, c| {
        (!is_reference(&c[4]) && secret_name(&c[1]))
            .then(|| format!("{}{}{}[SECRET:assignment]", &c[1], &c[2], &c[3]))
    });
    s = step(s, &r.quoted_assign, &hits, |_, c| {
        (!is_reference(&c[5])).then(|| {
            format!(
                "{}{}{}{}[SECRET:assignment]{}",
                &c[1], &c[2], &c[3], &c[4], &c[6]
            )
        })
    });
    s = step(s, &r.flag_assign, &hits, |_, c| {
        (!is_reference(&c[3])).then(|| format!("{}{}[SECRET:assignment]", &c[1], &c[2]))
    });
    s = step(s, &r.email, &hits, |_, c| {
        let lower = c[0].to_ascii_lowercase();
        let (local, domain) = lower.split_once('@').unwrap_or(("", ""));
        let reserved = ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
            || domain.ends_with(".example")
            || domain.ends_with(".test")
            || domain.ends_with(".invalid");
        (local != "git" && lower != "noreply@anthropic.com" && !reserved)
            .then(|| "[EMAIL]".to_string())
    });
    s = step(s, &r.home, &hits, |t, c| {
        let m = c.get(0).expect("match");
        (home_at(t, m.start()) && personal_name(&c[2])).then(|| format!("{}[USER]", &c[1]))
    });
    // IPv6 and IPv4 need context checks (the regex crate has no look-around).
    s = step(s, &r.ipv6, &hits, |t, c| {
        let m = c.get(0).expect("match");
        let (a, b) = (m.start(), m.end());
        let before = t[..a].chars().next_back();
        let after = t[b..].chars().next();
        let ident = |ch: char| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':';
        if m.as_str().is_empty() || before.is_some_and(ident) || after.is_some_and(ident) {
            return None;
        }
        let addr = m.as_str().split('%').next().unwrap_or("");
        let ok = match addr.parse::<std::net::Ipv6Addr>() {
            Ok(ip) => {
                !(ip.is_loopback() || ip.is_unspecified())
                    && addr.chars().any(|ch| ch.is_ascii_digit())
                    && addr.matches(':').count() >= 2
            }
            Err(_) => false,
        };
        ok.then(|| "[IP]".to_string())
    });
    s = step(s, &r.ipv4, &hits, |t, c| {
        let m = c.get(0).expect("match");
        let (a, b) = (m.start(), m.end());
        let bb = t.as_bytes();
        let before = if a > 0 { Some(bb[a - 1]) } else { None };
        if before.is_some_and(|ch| ch == b'.' || ch == b'v' || ch == b'V' || ch.is_ascii_digit()) {
            return None;
        }
        if bb.get(b) == Some(&b'.') && bb.get(b + 1).is_some_and(|ch| ch.is_ascii_digit()) {
            return None;
        }
        let v = m.as_str();
        (!(v.starts_with("127.") || v == "0.0.0.0" || v == "255.255.255.255"))
            .then(|| "[IP]".to_string())
    });
    let phone = |min: usize| {
        move |t: &str, c: &Captures| {
            let m = c.get(0).expect("match");
            let (a, b) = (m.start(), m.end());
            let digits = m.as_str().chars().filter(|ch| ch.is_ascii_digit()).count();
            let bb = t.as_bytes();
            let before = if a > 0 { Some(bb[a - 1]) } else { None };
            let after = bb.get(b).copied();
            if before.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == b'.' || ch == b'_')
                || after.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == b'_')
                || (after == Some(b'.') && bb.get(b + 1).is_some_and(|ch| ch.is_ascii_digit()))
            {
                return None;
            }
            (min..=15).contains(&digits).then(|| "[PHONE]".to_string())
        }
    };
    s = step(s, &r.phone_intl, &hits, phone(8));
    s = step(s, &r.phone_na, &hits, phone(10));
    s
}

/// Is the home-path match at `start` a file-system path (not a URL route
/// like `example.com/home/about`)?
fn home_at(t: &str, start: usize) -> bool {
    match t[..start].chars().next_back() {
        None => true,
        Some(c) => !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')),
    }
}

/// Applies `rule` when one of its needles occurs in the original text.
fn step<'a>(
    s: Cow<'a, str>,
    rule: &Rule,
    hits: &impl Fn(&Rule) -> bool,
    f: impl Fn(&str, &Captures) -> Option<String>,
) -> Cow<'a, str> {
    if hits(rule) {
        replace_caps(s, &rule.re, f)
    } else {
        s
    }
}

/// Replaces each match for which `f` returns a replacement; keeps the others.
fn replace_caps<'a>(
    s: Cow<'a, str>,
    re: &Regex,
    f: impl Fn(&str, &Captures) -> Option<String>,
) -> Cow<'a, str> {
    let t: &str = &s;
    let mut out = String::new();
    let mut last = 0;
    let mut changed = false;
    for c in re.captures_iter(t) {
        let m = c.get(0).expect("group 0");
        if let Some(rep) = f(t, &c) {
            out.push_str(&t[last..m.start()]);
            out.push_str(&rep);
            last = m.end();
            changed = true;
        }
    }
    if !changed {
        return s;
    }
    out.push_str(&t[last..]);
    Cow::Owned(out)
}

/// Env-style names that mention a secret but name something else (a file,
/// a host, a count): `VITE_FIREBASE_AUTH_DOMAIN`, `MAX_TOKENS`, `TOKEN_FILE`.
fn secret_name(name: &str) -> bool {
    const NOT: &[&str] = &[
        "_DOMAIN",
        "_URL",
        "_URI",
        "_FILE",
        "_PATH",
        "_DIR",
        "_HOST",
        "_PORT",
        "_NAME",
        "_ID",
        "_TYPE",
        "_ENDPOINT",
        "_HEADER",
        "_EXPIRY",
        "_TTL",
        "_LENGTH",
        "_SIZE",
        "_COUNT",
        "_LIMIT",
        "_TIMEOUT",
        "_ENABLED",
        "_MODE",
        "_PROVIDER",
        "_METHOD",
        "_SCOPE",
        "TOKENS",
    ];
    !NOT.iter().any(|n| name.ends_with(n))
        && !name.contains("TOKENIZER")
        && !name.starts_with("NOPASSWD")
}

/// `$VAR`, `${VAR}`, `<placeholder>`, `process.env.X`, paths, numbers, flags,
/// prose, already-scrubbed and obviously fake values are not secrets.
fn is_reference(v: &str) -> bool {
    let v = v.trim_matches(|c| c == '"' || c == '\'' || c == '`');
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || v.starts_with('-')
        || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("~/")
        || v.chars().all(|c| c.is_ascii_digit())
        || !v.is_ascii()
        || lower.starts_with("your")
        || lower.contains("example")
        || lower.contains("placeholder")
        || lower.contains("changeme")
        || lower.contains("redacted")
        || lower.contains("xxxx")
        || matches!(
            lower.as_str(),
            "read" | "write" | "admin" | "password" | "secret" | "token"
        )
        || v.starts_with('$')
        || v.starts_with('<')
        || v.starts_with('{')
        || v.starts_with('[')
        || v.starts_with('%')
        || v.starts_with("process.env")
        || v.starts_with("os.environ")
        || v.starts_with("os.getenv")
        || v.starts_with("env(")
        || v.starts_with("std::env")
        || v.chars()
            .all(|c| c == '*' || c == 'x' || c == 'X' || c == '.')
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "none" | "null" | "true" | "false" | "undefined" | "required" | "optional" | "string"
        )
}

/// Credential-like: mixed case, or digits, or base64 padding.
fn mixed(v: &str) -> bool {
    v.chars().any(|c| c.is_ascii_digit())
        || v.ends_with('=')
        || (v.chars().any(|c| c.is_ascii_uppercase()) && v.chars().any(|c| c.is_ascii_lowercase()))
}

/// Mixed letters and digits, long: looks like a generated token.
fn looks_random(v: &str) -> bool {
    v.len() >= 20
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> String {
        scrub(t).into_owned()
    }

    /// Each planted secret is replaced by its placeholder and the secret's
    /// distinctive part is gone.
    #[test]
    fn planted_secrets_become_typed_placeholders() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "key sk-ant-api03-Zq8xL2vN4mP7rT1yW3kB9cD5fG6hJ0aS-ExAmPlE1234 end",
                "[SECRET:anthropic_key]",
                "Zq8xL2vN4mP7",
            ),
            (
                "OPENAI sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z here",
                "[SECRET:openai_key]",
                "Ab3dEf6hIj9k",
            ),
            (
                "old style sk-4fT9qLm2Zx7Vb1Nc8Rd3We6Yh0Ju5Ki2Op9",
                "[SECRET:openai_key]",
                "4fT9qLm2Zx7V",
            ),
            (
                "remote https://ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8@github.com/o/r",
                "[SECRET:github_token]",
                "A1b2C3d4E5f6",
            ),
            (
                "token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789",
                "[SECRET:github_token]",
                "11ABCDEFG0123",
            ),
            (
                "gho_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8",
                "[SECRET:github_token]",
                "Zz9Yy8Xx7",
            ),
            (
                "export GL=glpat-xY7zW3vU9tS1rQ5pO2nM",
                "[SECRET:gitlab_token]",
                "xY7zW3vU9t",
            ),
            (
                "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
                "[SECRET:slack_token]",
                "AbCdEfGhIjKl",
            ),
            (
                "hook https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "[SECRET:slack_webhook]",
                "T00000000/B0",
            ),
            (
                "stripe sk_live_51HqZxYAbCdEfGhIjKlMnOpQr",
                "[SECRET:stripe_key]",
                "51HqZxYAbCd",
            ),
            (
                "aws AKIAIOSFODNN7EXAMPLE ok",
                "[SECRET:aws_access_key]",
                "IOSFODNN7",
            ),
            (
                "google AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
                "[SECRET:google_api_key]",
                "DdI0hCZtE6vy",
            ),
            (
                "hf hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567",
                "[SECRET:huggingface_token]",
                "AbCdEfGhIjKlMn",
            ),
            (
                "jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "[SECRET:jwt]",
                "dozjgNryP4J3",
            ),
            (
                "curl -H 'Authorization: Bearer a9F3kLm2Qx7Zt1Vb8Nc4Rd6We0Yh' x",
                "Bearer [SECRET:bearer_token]",
                "a9F3kLm2Qx7Z",
            ),
            (
                "postgres://admin:Hunter2Secret@db.internal:5432/app",
                "postgres://[USER]:[SECRET:url_password]@db.internal",
                "Hunter2Secret",
            ),
            (
                "API_KEY=abc123def456ghi789",
                "API_KEY=[SECRET:assignment]",
                "abc123def456",
            ),
            (
                "export DB_PASSWORD=\"correct-horse-battery\"",
                "DB_PASSWORD=\"[SECRET:assignment]",
                "correct-horse",
            ),
            (
                "AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Lm2Kv",
                "AWS_SECRET_ACCESS_KEY: [SECRET:assignment]",
                "wJalrXUtnFEMI",
            ),
            (
                r#"{"password": "s3cr3t-pass", "user": "x"}"#,
                r#""password": "[SECRET:assignment]""#,
                "s3cr3t-pass",
            ),
            (
                r#"{\"api_key\": \"zzq-998877-kk\"}"#,
                r#"\"api_key\": \"[SECRET:assignment]\""#,
                "998877",
            ),
            (
                r#"{"DB_PASSWORD": "Tr0ub4dor-3x"}"#,
                r#""DB_PASSWORD": "[SECRET:assignment]""#,
                "Tr0ub4dor",
            ),
            (
                "Authorization: Basic dXNlcjpQYXNzdzByZDEyMw==",
                "Basic [SECRET:bearer_token]",
                "dXNlcjpQYXNz",
            ),
            (
                "  initial_password = \"Garden7Lamp!\";",
                "initial_password = \"[SECRET:assignment]\"",
                "Garden7Lamp",
            ),
            (
                "mytool login --token Qw3rTy7uIo9pAs --verbose",
                "--token [SECRET:assignment]",
                "Qw3rTy7uIo9p",
            ),
            (
                "mail me at jane.roe+dev@fastmail.fm please",
                "[EMAIL]",
                "jane.roe",
            ),
            ("call +44 20 7946 0958 today", "[PHONE]", "7946 0958"),
            ("call (555) 201-3344 today", "[PHONE]", "201-3344"),
            ("or 555-201-3344.", "[PHONE]", "201-3344"),
            ("+1-415-555-0199", "[PHONE]", "555-0199"),
            ("ssh deploy@10.20.30.40 -p 22", "[IP]", "10.20.30.40"),
            ("server 203.0.113.7:8080 up", "[IP]:8080", "203.0.113.7"),
            ("v6 2001:db8:85a3::8a2e:370:7334 here", "[IP]", "8a2e"),
            ("link fe80::1ff:fe23:4567:890a%eth0", "[IP]", "fe23"),
            (
                "cd /home/alicewong/projects/app",
                "/home/[USER]/projects",
                "alicewong",
            ),
            (
                "open /Users/bob.smith/Desktop",
                "/Users/[USER]/Desktop",
                "bob.smith",
            ),
            (
                r"C:\Users\Carol\repo\main.py",
                r"C:\Users\[USER]\repo",
                "Carol",
            ),
            (
                r#"{"path":"C:\\Users\\Dmitri\\src"}"#,
                r"C:\\Users\\[USER]\\src",
                "Dmitri",
            ),
        ];
        for (input, want, gone) in cases {
            let out = s(input);
            assert!(
                out.contains(want),
                "input {input:?}\n  got {out:?}\n  want it to contain {want:?}"
            );
            assert!(
                !out.contains(gone),
                "input {input:?}\n  got {out:?}\n  {gone:?} should be gone"
            );
        }
    }

    #[test]
    fn private_key_blocks_whole_cut_and_escaped() {
        let whole = "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq9\nZm9vYmFyYmF6cXV4\n-----END RSA PRIVATE KEY-----\ny";
        assert_eq!(s(whole), "x\n[SECRET:private_key]\ny");
        let cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAMwAAAAtzc2gt";
        assert_eq!(s(cut), "[SECRET:private_key]");
        let escaped = r#"{"content":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"}"#;
        let out = s(escaped);
        assert!(!out.contains("MIIEvQ"), "{out}");
        let tail = "...\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nZm9vYmFyYmF6cXV4Zm9vYmFy\n-----END PRIVATE KEY-----";
        assert!(!s(tail).contains("MIIEvQ"));
        // Public keys and certificates are not secrets.
        let public = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
        assert_eq!(s(public), public);
    }

    /// Things that look a bit like secrets or personal data but are not.
    #[test]
    fn non_examples_survive() {
        let keep: &[&str] = &[
            "commit 3f9a2c41d8e7b6a5f4e3d2c1b0a99887766554433 on main",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "session 6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f",
            "released version 1.2.3 and 2.10.0-beta.1 on 2026-11-30",
            "at 12:14:11 UTC, timestamp 2026-11-30T12:14:11Z",
            "install react@18.2.0 and @types/node@20.11.5",
            "git clone git@github.com:example/widget.git",
            "Co-Authored-By: Claude <noreply@anthropic.com>",
            "listening on 127.0.0.1:8080 and 0.0.0.0:3000 and [::1]:9000",
            "use std::collections::HashMap; a::b::c",
            "max_tokens: 1024, tokens: 99",
            "const API_KEY = process.env.API_KEY;",
            "export OPENAI_API_KEY=$OPENAI_API_KEY",
            "TOKEN=${{ secrets.TOKEN }}",
            "the password field must be hashed",
            "cd /home/user/project && ls /Users/Shared",
            "/home/[USER]/x and [SECRET:github_token] and [EMAIL]",
            "Processed 1234567 rows in 12.5 s; id 4815162342",
            "chromium 120.0.6099.109 and python 3.12.1",
            "mac 00:1a:2b:3c:4d:5e, ratio 16:9, 10:30:45",
            "@@ -120,7 +120,9 @@ fn main()",
            "PORT=8080 NODE_ENV=production",
            "sk-learn is a typo of scikit-learn",
            "a token of appreciation",
            "permissions:\n  id-token: write",
            "VITE_FIREBASE_AUTH_DOMAIN=demo-app.firebaseapp.com",
            "MAX_TOKENS=4096 GITHUB_TOKEN_FILE=/run/secrets/gh",
            "PASSWORD=$(read-password --prompt \"Enter:\")",
            "export SERVICE_PASSWORD=your_password",
            r#""apiKey":"REDACTED","label_password": "请输入密码""#,
            "contact admin@example.com or qa@mail.example.org",
            "GOOGLE_APPLICATION_CREDENTIALS: /var/run/creds.json",
            "5. Build basic Encoder/Decoder pair",
            "%wheel ALL=(ALL) NOPASSWD: ALL",
        ];
        for k in keep {
            assert_eq!(&s(k), k, "should survive unchanged");
        }
    }

    #[test]
    fn idempotent_and_borrowed_when_clean() {
        let t = "API_KEY=abc123def456ghi789 mail jane@corp-mail.io /home/zed9/x 10.1.2.3";
        let once = s(t);
        assert_eq!(s(&once), once);
        assert!(matches!(scrub("nothing here"), Cow::Borrowed(_)));
    }

    /// Random mixtures of the characters the rules look at: never a panic
    /// (byte-level context checks next to multibyte text), always idempotent.
    #[test]
    fn mixtures_never_panic_and_stay_idempotent() {
        const PIECES: &[&str] = &[
            "é",
            "漢",
            "✓",
            " ",
            "\n",
            "@",
            ":",
            "::",
            ".",
            "+",
            "-",
            "(",
            ")",
            "/home/",
            "/Users/",
            r"C:\Users\",
            "1",
            "42",
            "255",
            "192.168.",
            "fe80",
            "a",
            "Zq",
            "sk-",
            "ghp_",
            "eyJ",
            "TOKEN=",
            "\"password\": \"",
            "Bearer ",
            "--token ",
            "x@y.io",
            "-----BEGIN PRIVATE KEY-----",
            "[IP]",
            "0123456789abcdefABCDEF",
            "_",
            "=",
            "'",
            "\\",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut t = String::new();
            let n = 1 + (seed % 24) as usize;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let once = s(&t);
            assert_eq!(s(&once), once, "not idempotent on {t:?}");
        }
    }

    #[test]
    fn learnt_names_scrubbed_everywhere() {
        let text = "$ whoami\nmarisol\n$ ls /home/marisol/work\nMarisol's notes";
        let names = home_names(text);
        assert_eq!(names, vec!["marisol".to_string()]);
        let sc = Scrubber::with_names(&names);
        let out = sc.scrub(text).into_owned();
        assert!(!out.to_lowercase().contains("marisol"), "{out}");
        assert!(out.contains("/home/[USER]/work"));
        // Common placeholders are not learnt.
        assert!(home_names("/home/user/x /home/runner/y").is_empty());
        // Short names are only replaced inside paths.
        let sc = Scrubber::with_names(&["al".to_string()]);
        assert_eq!(sc.scrub("alpha al beta"), "alpha al beta");
        // Names with non-ASCII letters, and ASCII names beside non-ASCII text.
        let sc = Scrubber::with_names(&["josé".to_string(), "wei".to_string()]);
        assert_eq!(
            sc.scrub("José wrote: 维护者 wei, weird"),
            "[USER] wrote: 维护者 [USER], weird"
        );
    }
}
