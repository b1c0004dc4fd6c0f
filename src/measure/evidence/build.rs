//! Builds: compile / bundle / image / system-configuration builds, with
//! success from the exit code (or the error flag when no code is known).
//!
//! Counted as builds: cargo build/check, go build, tsc, npm/pnpm/yarn/bun run
//! build, vite/next/webpack builds, make (with no target or a target other
//! than test/check/clean/install), cmake --build, ninja, mvn
//! package/compile/install, gradle build/assemble, docker/podman build,
//! docker compose build, dotnet/swift/zig build, mix compile, python -m build,
//! nix build and nixos-rebuild / darwin-rebuild / home-manager
//! build|switch (they build a system configuration; local activation, not a deploy).

use super::command;
use super::{Call, Evidence, EvidenceItem};
use regex::Regex;
use std::sync::LazyLock;

static BUILDERS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let p = |name: &'static str, re: &str| (name, Regex::new(re).unwrap());
    vec![
        p(
            "cargo build",
            r"^cargo\s+(?:\+\S+\s+)?(?:build|b|check|c)(?:\s|$)",
        ),
        p("cargo test --no-run", r"^cargo\s+test\b.*\s--no-run\b"),
        p("go build", r"^go\s+(?:build|install)\b"),
        p("tsc", r"^(?:\S*/)?tsc(?:\s|$)"),
        p(
            "npm run build",
            r"^(?:npm|pnpm|yarn|bun)\s+(?:--?\S+\s+)*(?:run\s+)?build(?:[:\-]\S*)?(?:\s|$)",
        ),
        p(
            "vite build",
            r"^(?:\S*/)?(?:vite|next|nuxt|astro|svelte-kit)\s+build\b",
        ),
        p(
            "webpack",
            r"^(?:\S*/)?(?:webpack|rollup|esbuild|parcel\s+build)(?:\s|$)",
        ),
        p("cmake --build", r"^cmake\s+--build\b"),
        p("ninja", r"^ninja(?:\s|$)"),
        p(
            "mvn package",
            r"^(?:\S*/)?(?:mvn|mvnw)\s+(?:\S+\s+)*?(?:package|compile|install)\b",
        ),
        p(
            "gradle build",
            r"^(?:\S*/)?(?:gradle|gradlew)\s+(?:\S+\s+)*?(?:build|assemble\S*|\S*:build)\b",
        ),
        p(
            "docker build",
            r"^(?:docker|podman)\s+(?:buildx\s+)?build\b",
        ),
        p(
            "docker compose build",
            r"^docker(?:-compose|\s+compose)\s+build\b",
        ),
        p("dotnet build", r"^dotnet\s+(?:build|publish)\b"),
        p("swift build", r"^swift\s+build\b"),
        p("zig build", r"^zig\s+build(?:\s|$)"),
        p("mix compile", r"^mix\s+compile\b"),
        p(
            "python -m build",
            r"^(?:\S*/)?python[0-9.]*\s+(?:-m\s+build|setup\.py\s+build)\b",
        ),
        p("nix build", r"^nix\s+build\b"),
        p(
            "nixos-rebuild",
            r"^(?:nixos-rebuild|darwin-rebuild|home-manager)\s+(?:\S+\s+)*?(?:build|switch|boot)\b",
        ),
    ]
});

/// `make` with no target, or with targets that are not test/clean/install/help.
fn is_make_build(seg: &str) -> bool {
    let mut words = seg.split_whitespace();
    if !matches!(words.next(), Some("make" | "gmake")) {
        return false;
    }
    let mut skip_next = false;
    for w in words {
        if skip_next {
            skip_next = false;
            continue;
        }
        if w == "-C" || w == "-f" {
            skip_next = true;
            continue;
        }
        if w.starts_with('-') || w.contains('=') || w.starts_with('>') || w.starts_with('2') {
            continue;
        }
        return !matches!(
            w,
            "test"
                | "tests"
                | "check"
                | "clean"
                | "distclean"
                | "install"
                | "uninstall"
                | "help"
                | "lint"
                | "fmt"
                | "format"
                | "run"
                | "dev"
                | "serve"
        ) && !w.starts_with("test");
    }
    true
}

pub fn builder(seg: &str) -> Option<&'static str> {
    if command::is_help_or_version(seg) {
        return None;
    }
    if is_make_build(seg) {
        return Some("make");
    }
    BUILDERS
        .iter()
        .find(|(_, re)| re.is_match(seg))
        .map(|(n, _)| *n)
}

pub fn detect(calls: &[Call], ev: &mut Evidence) {
    let mut last: Option<(usize, &str, bool)> = None;
    for (turn, name, ok) in super::command_runs(calls, builder) {
        ev.builds += 1;
        if !ok {
            ev.builds_failed += 1;
        }
        last = Some((turn, name, ok));
    }
    if let Some((turn, name, ok)) = last {
        ev.build_ok_at_end = Some(ok);
        let detail = if ok {
            format!("{name} succeeded (last build)")
        } else {
            format!("{name} failed (last build)")
        };
        ev.items.push(EvidenceItem::new("build", turn, ok, detail));
    }
}

#[cfg(test)]
mod unit_tests {
    use super::super::fixture::B;
    use super::super::{calls, Evidence};
    use super::*;

    #[test]
    fn recognises_builds() {
        for cmd in [
            "cargo build --release",
            "cargo check",
            "npm run build",
            "pnpm build",
            "npx tsc --noEmit",
            "make",
            "make -j8 all",
            "go build ./...",
            "mvn -q package",
            "./gradlew build",
            "docker build -t app .",
            "sudo nixos-rebuild switch --flake .#host",
        ] {
            let segs = command::segments(cmd);
            assert!(
                segs.iter().any(|s| builder(s.text).is_some()),
                "not recognised: {cmd}"
            );
        }
        for cmd in [
            "make test",
            "make clean",
            "cargo test",
            "npm install",
            "echo build",
            "docker run app",
        ] {
            let segs = command::segments(cmd);
            assert!(
                segs.iter().all(|s| builder(s.text).is_none()),
                "false positive: {cmd}"
            );
        }
    }

    #[test]
    fn last_build_decides() {
        let s = B::new()
            .human("build it")
            .bash("cargo build", 101, "error[E0308]: mismatched types")
            .edit("src/main.rs", "let x: u8 = -1;", "let x: i8 = -1;")
            .bash("cargo build", 0, "Finished dev profile")
            .build();
        let mut e = Evidence::default();
        detect(&calls(&s), &mut e);
        assert_eq!((e.builds, e.builds_failed), (2, 1));
        assert_eq!(e.build_ok_at_end, Some(true));
        assert_eq!(e.items[0].detail, "cargo build succeeded (last build)");
    }
}
