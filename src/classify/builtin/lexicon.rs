//! Word lists and patterns the builtin backend reads prompts, file paths and
//! commands with. Compiled once per process (`LazyLock`), shared by all threads.
//! Patterns are deliberately small and generic: they must generalise to
//! sessions nobody here has seen.

use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// Word boundaries are ASCII-only: a Unicode `\b` makes the fast lazy DFA
/// give up on any non-ASCII text (and fall back to a much slower engine).
/// Our word lists are ASCII; CJK cues are written without boundaries.
fn ascii_bounds(p: &str) -> String {
    p.replace(r"\b", r"(?-u:\b)")
}

/// Lazy-DFA cache per pattern: large word lists need room, or the cache is
/// cleared over and over and searches crawl.
const DFA_CACHE: usize = 8 << 20;

fn re(p: &str) -> Regex {
    regex::RegexBuilder::new(&ascii_bounds(p))
        .dfa_size_limit(DFA_CACHE)
        .build()
        .expect("builtin pattern compiles")
}

fn set(ps: &[&str]) -> RegexSet {
    regex::RegexSetBuilder::new(ps.iter().map(|p| ascii_bounds(p)))
        .dfa_size_limit(DFA_CACHE)
        .build()
        .expect("builtin pattern set compiles")
}

/// Work-mode cues in the user's prompts, one pattern per mode in
/// `rubric::WORK_MODES` order.
pub static MODE_CUES: LazyLock<RegexSet> = LazyLock::new(|| {
    set(&[
        // Plan
        r"(?i)\b(plan(ning)?|design doc|spec(ification)?|architect(ure)?|roadmap|proposal|rfc|brainstorm|outline an? approach)\b",
        // Build
        r"(?i)\b(add|implement|build|create|make a|write a (script|function|class|component|tool|program|app)|new feature|feature|refactor|migrat(e|ion)|optimi[sz]e|support for|extend|upgrade|integrate|scaffold|rewrite)\b",
        // Fix
        r"(?i)\b(fix|bug|broken|error|errors|crash(es|ed|ing)?|fail(s|ed|ing|ure)?|doesn'?t work|does not work|not working|isn'?t working|issue|exception|traceback|stack ?trace|wrong|regression|debug)\b|报错|修复|错误",
        // Understand
        r"(?i)(\b(explain|how does|how do(es)? .{0,40} work|what (is|are|does)|why (is|does|do)|walk me through|understand|overview|summari[sz]e (the|this) (code|repo|project)|where is|look at|review the (design|structure)|tell me about)\b|\?\s*$)|检查|解释|什么",
        // Test
        r"(?i)\b((write|add|more|missing|new|extend|improve|fix (the|our|flaky)) (unit |integration |e2e |end-to-end |regression )?tests|unit tests|integration tests|e2e tests|test (suite|coverage|cases|plan|harness|infrastructure|fixtures)|coverage|flaky|code review|review (this|the|my) (pr|code|changes|diff)|audit|security review|qa|lint(er|ing)?)\b",
        // Operate
        r"(?i)\b(deploy(ment|ed|ing)?|install(ed|ing|ation)?|configur(e|ation|ing)|config|set ?up|setup|docker|compose|kubernetes|k8s|kubectl|helm|terraform|ansible|nginx|systemd|systemctl|service|server|ssh|vps|dns|ssl|cert(ificate)?s?|ci/cd|ci|pipeline|github actions|workflow|cron|backup|dotfiles?|shell|zsh|bash(rc)?|tmux|neovim|nvim|vim|hyprland|waybar|homebrew|brew|apt|pacman|env(ironment)?|permissions?|firewall|monitor(ing)?|logs?|upgrade (the )?(os|system)|package|keybind(ing)?s?|theme|font)\b|部署|安装|配置",
        // Analyze
        r"(?i)\b(analy[sz]e|analysis|dataset|data set|csv|excel|spreadsheet|dataframe|pandas|plot|chart|graph the|visuali[sz]e|statistics?|metrics|correlat(e|ion)|regression model|notebook|query the|sql query|insights?|report on|add up|totals?|pivot|xlsx|cells?)\b",
        // Orchestrate
        r"(?i)(\b(prompts?|system prompt|agents?|sub-?agents?|claude\.md|agents\.md|mcp|llm|evals?|slash command|skills?|hooks?|few-shot|fine-?tun(e|ing)|rag|embedding)\b)",
        // Communicate
        r"(?i)\b(write (a|an|the|up)|draft|blog( post)?|article|essay|email|letter|announcement|release notes|changelog|documentation|docs|readme|slides?|presentation|summary for|translate|proofread|rewrite (this|the) (text|paragraph)|copy ?writing|newsletter|memo)\b",
    ])
});

/// Technical vocabulary a practitioner uses (counted per distinct hit).
pub static TECH_TERMS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(api|endpoint|schema|migration|index(es)?|query|transaction|mutex|lock|race condition|deadlock|thread|async|await|promise|callback|closure|generic|trait|interface|type ?script|lifetime|borrow|pointer|memory leak|heap|stack|cache|caching|latency|throughput|idempotent|retry|backoff|timeout|websocket|grpc|rest|graphql|oauth|jwt|token|cors|csrf|tls|ssl|dns|tcp|udp|http[s2]?|proxy|reverse proxy|load balancer|container|docker(file)?|kubernetes|pod|namespace|ingress|helm|terraform|ci|pipeline|artifact|env var|environment variable|regex|parser|ast|compiler|linker|bundler|webpack|vite|eslint|prettier|tsconfig|venv|virtualenv|poetry|uv|npm|pnpm|yarn|cargo|crate|gradle|maven|makefile|cmake|systemd|unit file|cron|daemon|socket|port|firewall|iptables|ufw|ssh|rsync|symlink|chmod|chown|sudo|kernel|driver|wayland|x11|compositor|keybind|dotfile|zshrc|bashrc|alias|plugin|hook|middleware|orm|sql|postgres|mysql|sqlite|redis|kafka|queue|worker|cron|s3|lambda|serverless|git|rebase|cherry-pick|branch|merge|commit|diff|patch|stash|submodule|refactor|dependency|semver|lockfile|monorepo|test fixture|mock|stub|snapshot|coverage|benchmark|profil(e|ing|er)|flame ?graph|complexity|big-?o|recursion|concurrency|parallel|simd|gpu|cuda|tensor|gradient|embedding|tokenizer|inference|quantiz(e|ation)|prompt cache|context window|json|yaml|toml|csv|parquet|utf-?8|encoding|unicode|locale|timezone|epoch|rfc ?\d+|posix|stdin|stdout|stderr|exit code|signal|sigterm|pid|env|path|shebang|lsp|treesitter|tree-sitter|neovim|lua|tmux)\b",
    )
});

/// Names a user can type: paths, file names with extensions, identifiers with
/// `_`/`::`/camelCase, `--flags`, backticked spans.
pub static NAMES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"`[^`\n]{2,80}`|(?:^|[\s(])(?:(?:~|\.{1,2})?/?[\w.-]+/[\w./-]+|[\w-]+\.(?:rs|py|ts|tsx|js|jsx|go|rb|java|kt|c|h|cpp|hpp|cs|php|swift|sh|zsh|lua|toml|yaml|yml|json|md|conf|ini|sql|css|scss|html|vue|svelte|ipynb|csv|tf|nix|lock)|--[a-z][\w-]+|[a-z]+(?:_[a-z0-9]+)+|[a-z]+[A-Z][A-Za-z0-9]+|\w+::\w+|\w+\(\))",
    )
});

/// The name inside a `NAMES` match (without the backticks or leading space).
pub fn name_of(m: &str) -> &str {
    let m = m.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    m.trim_matches('`').trim()
}

/// Named constraints and requirements ("without", "must not", "only", versions).
pub static CONSTRAINTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(must|must not|mustn'?t|should not|shouldn'?t|don'?t|do not|never|always|without|instead of|rather than|only|keep (the|it|them)|make sure|ensure|backwards? compatib\w*|no (new )?dependenc\w*|preserve|avoid|at most|at least|under \d+|v?\d+\.\d+(\.\d+)?)\b",
    )
});

/// Generic checking asks ("double-check", "make sure it works", "test it").
pub static VERIFY_GENERIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(double[- ]check|make sure (it|this|everything) works|check (that|if) (it|this|everything) works|verify (it|this|that it works)|test it|is it working|does it work|check again|are you sure)\b",
    )
});

/// Targeted checking asks about a specific mechanism or risk.
pub static VERIFY_TARGETED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(what happens (if|when)|edge cases?|race condition|does (this|it|that) (handle|hold|leak|block|respect|preserve|break|account for)|is (this|it) (thread[- ]safe|idempotent|atomic|backwards? compatible)|under load|off[- ]by[- ]one|null|nil|overflow|regression|concurren\w+|migration (safe|order)|rollback|what about (the )?\w+ case|side effects?|time ?zone|encoding issue|memory (leak|usage)|complexity of|worst case)\b",
    )
});

/// The user correcting the agent.
pub static USER_CORRECTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(^\s*(no|nope|wrong|stop|wait)\b|\b(that'?s (not|wrong)|that is (not|wrong)|not what i (asked|wanted|meant)|you (missed|forgot|broke|didn'?t|did not|removed|deleted|misunderstood|are wrong|'re wrong)|i (said|told you|asked for)|why did you|don'?t (do|change|touch|use|add)|do not (do|change|touch|use|add)|revert (that|this|it)|undo (that|this)|should (be|have been|use) \w+ not|is (incorrect|wrong)|actually,? (it|the|you|we|i)|instead,? use)\b)",
    )
});

/// The agent correcting the user (in agent text).
pub static AGENT_CORRECTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(actually,? (the|that|this|there|it|you)|that'?s not quite|not quite right|i think you mean|you may be thinking of|there is no such|doesn'?t exist (in|here)|isn'?t (actually|how)|a common misconception|contrary to|that (command|option|flag|file) (does not|doesn'?t) exist|you (might|may) have (confused|mixed))\b",
    )
});

/// Goal statements (a request to get something done).
pub static GOAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\b(i want|i'?d like|i need|we need|can you|could you|please|let'?s|help me|the goal|goal is|task is|i'?m trying to|we want|add|implement|create|build|make|fix|write|set ?up|install|configure|deploy|update|change|remove|delete|rename|move|convert|generate)\b|请|帮我|需要)",
    )
});

/// Approach statements (how to go about it).
pub static APPROACH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(use|using|instead of|rather than|approach|first,? (do|check|look|read|try)|then|step by step|don'?t|do not|via|with a|based on|following|same (as|way)|like (the|in) \w+)\b",
    )
});

/// Done criteria ("so that", "until the tests pass", "it should").
pub static DONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(so that|until|it should|should (be|show|return|work|look)|make sure|expected|acceptance|done when|must (pass|work|show)|all tests pass|the result should)\b",
    )
});

/// Explicit affirmation by the user.
pub static AFFIRM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\b(thanks?|thank you|thx|ty|perfect|great|awesome|excellent|nice|works( now| great| perfectly)?|working( now)?|it works|that worked|that fixed it|looks good|lgtm|good job|well done|exactly|brilliant|love it)\b|谢谢|好的|完美|可以了)",
    )
});

/// Explicit complaint by the user.
pub static COMPLAIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\b(doesn'?t work|does not work|not working|isn'?t working|still (broken|failing|not|doesn'?t|the same|getting|wrong|seeing)|same (error|issue|problem)|didn'?t work|did not work|didn'?t (fix|correct|change|help|solve|do) (it|that|anything|the \w+)|did not (fix|correct|change|help|solve)|still (off|the same)|broke|broken|worse|wtf|ugh|useless|that'?s wrong|this is wrong|nothing (happened|changed)|no change|not fixed|still there|you (broke|ruined)|give up|forget it|never ?mind)\b|不行|没用|还是)",
    )
});

/// Prompts that only greet or say they are looking around (no objective).
pub static EXPLORATORY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(hi|hello|hey|yo|test(ing)?|ping|\.|ok(ay)?|just (looking|exploring|poking|browsing)( around)?|look around|explore|what'?s (here|in here|this)|show me around)\W*$",
    )
});

/// Novice cues: admitting not knowing, asking what basic things are.
pub static NOVICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(i don'?t know (how|what|why)|i'?m (new|not sure|a beginner|not a (developer|programmer|coder))|no idea|i have no experience|what does (this|that|it) mean|how do i (open|run|install|use)|where do i (type|put|find)|i'?m not technical|eli5|in simple terms|i don'?t understand|confused)\b",
    )
});

/// Acceptance of an agent proposal.
pub static ACCEPT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(yes|yep|yeah|y|ok(ay)?|sure|go( ahead| for it)?|do it|proceed|sounds good|looks good|lgtm|approved?|continue|please do|1|2|3|a|b|option \w)\b",
    )
});

/// Agent text that proposes a plan.
pub static AGENT_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?im)(^\s*(#+ )?(plan|proposed (plan|approach|changes)|approach|next steps|here'?s (my|the) plan)\b|\b(i'?ll|i will|let me|i'?m going to|i propose|i suggest|i recommend|we (could|should))\b.{0,80}\b(approach|first|then|plan|steps?)\b|\b(would you like me to|do you want me to|want me to|shall i|should i)\b)",
    )
});

/// A pasted error or log in a prompt (not evidence of expertise).
pub static PASTED_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)(Traceback \(most recent call last\)|^\s*at [\w.$<>]+\(|error(\[E\d+\])?:|Error:|Exception|FAILED|panicked at|Uncaught|ENOENT|EACCES|command not found|No such file or directory|^\s*\^+\s*$)",
    )
});

/// Occupation domains, by SOC major-group title (side-signal vocabulary from
/// prompts, project names and file paths; never from the act of coding).
pub static DOMAINS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "Legal",
            re(
                r"(?i)\b(contracts?|clauses?|litigation|plaintiffs?|defendants?|statutes?|court (filing|case)|legal brief|attorneys?|lawyers?|paralegal|nda|case law|subpoena|affidavit|gdpr compliance)\b",
            ),
        ),
        (
            "Healthcare Practitioners and Technical",
            re(
                r"(?i)\b(patients?|clinical|clinician|diagnos(is|es|tic)|ehr|emr|hipaa|medications?|dosage|radiology|nurs(e|ing)|physicians?|icd-?10|hl7|fhir|pharmacy|dental)\b",
            ),
        ),
        (
            "Business and Financial Operations",
            re(
                r"(?i)\b(invoices?|accounting|ledger|bookkeeping|balance sheet|income statement|10-?k|10-?q|sec filings?|tax(es| return)?|budget(ing)?|payroll|financial (model|statements?|report)|finances?|net worth|expenses|portfolio|equities|valuation|cash ?flow|audit trail|reconciliation|procurement)\b",
            ),
        ),
        (
            "Educational Instruction and Library",
            re(
                r"(?i)\b(curricul(um|a)|lesson plans?|syllabus|students?|grading|homework|teachers?|classroom|course ?work|lecture notes|quiz(zes)?|rubric for (students|grading)|library catalog)\b",
            ),
        ),
        (
            "Life, Physical, and Social Science",
            re(
                r"(?i)\b(experiments? data|genom(e|ics)|proteins?|rna-?seq|dna|assay|molecul(e|ar)|neuro(n|science)|chemistry|physics simulation|astronom\w+|climate model|survey respondents|econometric|phylogen\w+|microscopy|lab (data|results)|bioinformatics|thesis)\b",
            ),
        ),
        (
            "Arts, Design, Entertainment, Sports, and Media",
            re(
                r"(?i)\b(podcast|screenplay|novel|manuscript|album|music|song|lyrics|photograph(y|s)|illustrat(ion|or)|artwork|video edit(ing)?|youtube channel|film|animation|game design|typography|brand(ing)? guide|magazine|journalis(m|t))\b",
            ),
        ),
        (
            "Architecture and Engineering",
            re(
                r"(?i)\b(cad|pcb|schematics?|circuit|firmware|microcontroller|arduino|esp32|fpga|verilog|mechanical|structural|finite element|fea|cfd|hvac|civil engineering|kicad|solidworks|autocad)\b",
            ),
        ),
        (
            "Production",
            re(
                r"(?i)\b(3d print(er|ing)?|filament|slicer|g-?code|gcode|cnc|machining|manufactur(e|ing)|printer profiles?|extruder|nozzle|bed temp)\b",
            ),
        ),
        (
            "Sales and Related",
            re(
                r"(?i)\b(sales pipeline|leads|prospects|crm|quota|cold email|deal stage|salesforce|hubspot)\b",
            ),
        ),
        (
            "Office and Administrative Support",
            re(
                r"(?i)\b(data entry|scheduling appointments|calendar invites|filing system|office manager|mail merge|inbox zero)\b",
            ),
        ),
        (
            "Management",
            re(
                r"(?i)\b(okrs?|stakeholders|hiring plan|head ?count|org chart|quarterly planning|board deck|strategy memo|direct reports)\b",
            ),
        ),
    ]
});

/// The domain patterns as one set (for paths: which domains match at all).
pub static DOMAIN_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    regex::RegexSetBuilder::new(DOMAINS.iter().map(|(_, r)| r.as_str()))
        .dfa_size_limit(DFA_CACHE)
        .build()
        .expect("domain set compiles")
});

/// Signals that the person works in software / IT professionally (not mere coding).
pub static SOFTWARE_PRO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(production|prod|staging|our (team|users|customers|codebase|api|service|repo|product)|my (team|company|employer|client)|clients?|customers?|pull requests?|prs?|code review|jira|ticket|sprint|on-?call|incident|sla|release|ci/cd|ci|deploy(ment)?|kubernetes|k8s|terraform|microservices?|backend|frontend|full-?stack|devops|sre|homelab|self-?host(ed|ing)?|server|vps|open[- ]source|maintainer|npm package|crate|library|sdk|cli tool|saas)\b",
    )
});

/// File-path kinds (for "kinds of files touched").
pub static PATH_TEST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(^|/)(tests?|__tests__|spec|specs|e2e|testdata)/|(_test|_spec|\.test|\.spec|test_[\w-]*)\.\w+$|/test_[\w-]+\.py$",
    )
});
pub static PATH_CI_INFRA: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(^|/)(\.github/workflows|\.gitlab-ci|\.circleci|k8s|kubernetes|helm|charts|terraform|ansible|deploy|infra|\.buildkite)(/|\.|$)|(dockerfile|docker-compose[\w.-]*\.ya?ml|compose\.ya?ml|\.tf|\.tfvars|jenkinsfile|procfile|fly\.toml|vercel\.json|netlify\.toml|nginx[\w.-]*\.conf|\.service|\.timer|\.env[\w.-]*)$",
    )
});
pub static PATH_DOCS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\.(md|mdx|rst|txt|adoc|tex|docx?|odt|pptx?|org)$|(^|/)(docs?|blog|posts|content|notes|articles|papers?)/)",
    )
});
pub static PATH_DATA: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\.(ipynb|csv|tsv|parquet|xlsx?|feather|arrow|h5|hdf5|npz?|pkl|pickle|sav|dta|rds|jsonl|ndjson)$",
    )
});
pub static PATH_AGENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)((^|/)(claude\.md|agents\.md|gemini\.md|\.cursorrules|copilot-instructions\.md)$|(^|/)(\.claude|\.codex|\.cursor|prompts?|agents|skills|\.gemini)/|\bprompt[\w-]*\.(md|txt|ya?ml|json)$|\bmcp[\w-]*\.json$)",
    )
});
pub static PATH_CONFIG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)((^|/)\.config/|(^|/)\.[\w-]+rc$|\.(conf|cfg|ini|toml|ya?ml|json|plist|lua|nix|kdl|service)$|(^|/)(\.zshrc|\.bashrc|\.profile|\.gitconfig|\.tmux\.conf|hyprland\.conf)$|(^|/)etc/)",
    )
});
pub static PATH_CODE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\.(rs|py|ts|tsx|js|jsx|mjs|cjs|go|rb|java|kt|kts|scala|c|h|cc|cpp|hpp|cs|php|swift|m|mm|sh|bash|zsh|fish|ps1|lua|ex|exs|erl|hs|ml|clj|dart|r|jl|sql|vue|svelte|html|css|scss|sass|less|zig|nim|v|sol)$",
    )
});

/// Shell-command kinds, one pattern per `CmdKind` in order.
pub static CMD_KINDS: LazyLock<RegexSet> = LazyLock::new(|| {
    set(&[
        // Test
        r"(?i)\b(pytest|py\.test|unittest|jest|vitest|mocha|rspec|phpunit|go test|cargo (test|nextest)|npm (run )?test|yarn test|pnpm test|bun test|deno test|mvn test|gradle test|ctest|tox|nox|make test|playwright test|cypress run)\b",
        // Build / compile / lint
        r"(?i)\b(cargo (build|check|clippy|run)|npm run (build|lint|typecheck)|yarn build|pnpm build|tsc\b|go build|go vet|make\b|cmake|gcc|clang|javac|mvn (package|compile)|gradle (build|assemble)|webpack|vite build|next build|eslint|ruff|mypy|black|prettier|rustc|swift build|xcodebuild|dotnet build)",
        // Git / VCS
        r"(?i)\b(git|gh|hg|jj)\s",
        // Install packages
        r"(?i)\b(npm (i|install|ci|add)|yarn add|pnpm (add|install)|pip3? install|uv (add|pip|sync)|poetry (add|install)|cargo (add|install)|go (get|install)|brew (install|upgrade|update)|apt(-get)? (install|update|upgrade)|pacman -S|yay -S|paru -S|dnf install|yum install|gem install|bundle install|composer (install|require)|nix-env|flatpak install|snap install)\b",
        // Deploy / infra / services
        r"(?i)\b(docker|docker-compose|podman|kubectl|helm|terraform|ansible|systemctl|journalctl|service \w+ (start|stop|restart)|nginx|certbot|ssh|scp|rsync|vercel|netlify|fly (deploy|launch)|flyctl|heroku|gcloud|aws |az |wrangler|pm2|supervisorctl|launchctl|crontab|ufw|iptables)\b",
        // System administration / desktop config
        r"(?i)\b(chmod|chown|sudo|ln -s|mkdir|cp |mv |hyprctl|swaymsg|gsettings|defaults write|killall|pkill|ps aux|lsof|df -|du -|free -|uname|which|whereis|fc-list|xrandr|nmcli|ip (a|addr|route)|ping|curl|wget|stow|source ~|export )",
        // Data work
        r"(?i)(\bpandas\b|\bimport (pandas|numpy|matplotlib|polars|seaborn)|\bduckdb\b|\bsqlite3\b|\bpsql\b|\bmysql\b|\bjupyter\b|\.csv\b|\.parquet\b|\bjq\b)",
        // Exploration
        r"(?i)^\s*(ls|cat|head|tail|grep|rg|find|fd|tree|wc|less|sed -n|awk|file|stat|pwd|echo)\b",
    ])
});

/// Indices into `CMD_KINDS`.
pub mod cmd {
    pub const TEST: usize = 0;
    pub const BUILD: usize = 1;
    pub const GIT: usize = 2;
    pub const INSTALL: usize = 3;
    pub const INFRA: usize = 4;
    pub const SYSADMIN: usize = 5;
    pub const DATA: usize = 6;
    pub const EXPLORE: usize = 7;
    pub const N: usize = 8;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile_and_match_what_they_name() {
        assert!(MODE_CUES
            .matches("please fix the crash on startup")
            .matched(2));
        assert!(MODE_CUES.matches("deploy it to the server").matched(5));
        assert!(!MODE_CUES.matches("deploy it to the server").matched(8));
        assert!(CMD_KINDS.matches("cargo test --all").matched(cmd::TEST));
        assert!(CMD_KINDS.matches("git commit -m x").matched(cmd::GIT));
        assert!(!CMD_KINDS.matches("ls -la").matched(cmd::GIT));
        assert!(PATH_TEST.is_match("src/tests/parse.rs"));
        assert!(PATH_TEST.is_match("pkg/foo_test.go"));
        assert!(!PATH_TEST.is_match("src/contest.rs"));
        assert!(PATH_AGENT.is_match("repo/CLAUDE.md"));
        assert!(PATH_AGENT.is_match(".claude/commands/x.md"));
        assert!(PATH_CI_INFRA.is_match(".github/workflows/ci.yml"));
        assert!(PATH_DATA.is_match("data/sales.csv"));
        assert!(USER_CORRECTS.is_match("no, that's not what I asked"));
        assert!(!USER_CORRECTS.is_match("now add a button"));
        assert!(AFFIRM.is_match("thanks, works now"));
        assert!(COMPLAIN.is_match("still getting the same error"));
        assert!(VERIFY_TARGETED.is_match("what happens if the file is empty?"));
        assert!(VERIFY_GENERIC.is_match("please double-check"));
        assert!(ACCEPT.is_match("yes go ahead"));
        assert!(!ACCEPT.is_match("yesterday the build broke"));
        // ASCII word boundaries still work next to non-ASCII text.
        assert!(COMPLAIN.is_match("ça ne marche pas: still broken"));
        assert!(!MODE_CUES.matches("prefixation").matched(1));
        let names: Vec<&str> = NAMES
            .find_iter("edit `src/main.rs` and parse_args() in lib/util.py")
            .map(|m| name_of(m.as_str()))
            .collect();
        assert_eq!(names, vec!["src/main.rs", "parse_args", "lib/util.py"]);
    }
}
