//! Deploys and releases: commands that put work into a shared or remote
//! environment, with success from the exit code.
//!
//! Counted: vercel (deploy / --prod), netlify deploy, fly(ctl) deploy,
//! kubectl apply/create/replace/rollout restart/set image, helm
//! install/upgrade, terraform/tofu apply, pulumi up, docker/podman push,
//! gcloud ... deploy, aws ... deploy (incl. cloudformation deploy), sam/cdk/
//! serverless deploy, `git push heroku`, heroku container:release/releases:*,
//! firebase deploy, wrangler deploy/publish, railway up, cap <stage> deploy,
//! ansible-playbook, and package releases (npm/cargo/gem publish, twine upload).
//!
//! Deliberately not counted: `systemctl restart` and `docker compose up`
//! (usually a local service or a dev environment on the same machine, the
//! common case in dotfiles sessions), `--dry-run` / `plan` / `diff`
//! variants, and help/version queries.

use super::command;
use super::{Call, Evidence, EvidenceItem};
use regex::Regex;
use std::sync::LazyLock;

static DEPLOYERS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let p = |name: &'static str, re: &str| (name, Regex::new(re).unwrap());
    vec![
        p("vercel", r"^vercel(?:\s+(?:deploy|--prod|--yes|-y)\b|\s*$)"),
        p("netlify deploy", r"^netlify\s+deploy\b"),
        p("fly deploy", r"^(?:fly|flyctl)\s+deploy\b"),
        p(
            "kubectl",
            r"^kubectl\s+(?:-\S+\s+\S+\s+)*(?:apply|create|replace|set\s+image|rollout\s+restart)\b",
        ),
        p("helm", r"^helm\s+(?:upgrade|install)\b"),
        p(
            "terraform apply",
            r"^(?:terraform|tofu)\s+(?:-\S+\s+)*apply\b",
        ),
        p("pulumi up", r"^pulumi\s+up\b"),
        p("docker push", r"^(?:docker|podman)\s+push\b"),
        p("gcloud deploy", r"^gcloud\s+(?:\S+\s+)*?deploy\b"),
        p("aws deploy", r"^aws\s+(?:\S+\s+)*?deploy\b"),
        p("sam deploy", r"^(?:sam|cdk|serverless|sls)\s+deploy\b"),
        p(
            "heroku",
            r"^(?:git\s+push\s+heroku\b|heroku\s+(?:container:release|releases:\S+|deploy)\b)",
        ),
        p("firebase deploy", r"^firebase\s+deploy\b"),
        p(
            "wrangler deploy",
            r"^wrangler\s+(?:deploy|publish|pages\s+deploy)\b",
        ),
        p("railway up", r"^railway\s+up\b"),
        p("capistrano", r"^cap\s+\S+\s+deploy\b"),
        p("ansible-playbook", r"^ansible-playbook\s"),
        p(
            "publish",
            r"^(?:npm|pnpm|yarn|cargo|gem|poetry)\s+publish\b|^twine\s+upload\b|^gem\s+push\b",
        ),
    ]
});

fn not_a_deploy(seg: &str) -> bool {
    command::is_help_or_version(seg)
        || seg.split_whitespace().any(|w| {
            w == "--dry-run"
                || w.starts_with("--dry-run=")
                || w == "--check"
                || w == "--syntax-check"
                || w == "--list-hosts"
        })
}

pub fn deployer(seg: &str) -> Option<&'static str> {
    if not_a_deploy(seg) {
        return None;
    }
    DEPLOYERS
        .iter()
        .find(|(_, re)| re.is_match(seg))
        .map(|(n, _)| *n)
}

pub fn detect(calls: &[Call], ev: &mut Evidence) {
    let mut last: Option<(usize, &str, bool)> = None;
    for (turn, name, ok) in super::command_runs(calls, deployer) {
        if ok {
            ev.deploys += 1;
        } else {
            ev.deploys_failed += 1;
        }
        last = Some((turn, name, ok));
    }
    if let Some((turn, name, ok)) = last {
        let detail = match (ok, ev.deploys) {
            (true, 1) => format!("{name}: deploy succeeded"),
            (true, n) => format!("{name}: deploy succeeded ({n} deploys)"),
            (false, _) => format!("{name}: last deploy failed"),
        };
        ev.items.push(EvidenceItem::new("deploy", turn, ok, detail));
    }
}

#[cfg(test)]
mod unit_tests {
    use super::super::fixture::B;
    use super::super::{calls, Evidence};
    use super::*;

    #[test]
    fn recognises_deploys_and_skips_local_restarts() {
        for cmd in [
            "vercel --prod",
            "netlify deploy --prod",
            "fly deploy",
            "kubectl -n web apply -f k8s/",
            "helm upgrade --install api ./chart",
            "terraform apply -auto-approve",
            "docker push registry.example.org/app:1.2",
            "gcloud run deploy api --source .",
            "aws cloudformation deploy --template-file t.yml",
            "firebase deploy --only hosting",
            "npx wrangler deploy",
            "ansible-playbook -i hosts site.yml",
            "git push heroku main",
            "cargo publish",
        ] {
            let segs = command::segments(cmd);
            assert!(
                segs.iter().any(|s| deployer(s.text).is_some()),
                "not recognised: {cmd}"
            );
        }
        for cmd in [
            "systemctl --user restart waybar",
            "docker compose up -d",
            "terraform plan",
            "kubectl get pods",
            "kubectl apply --dry-run=client -f x.yml",
            "helm --help",
            "git push origin main",
            "vercel env ls",
        ] {
            let segs = command::segments(cmd);
            assert!(
                segs.iter().all(|s| deployer(s.text).is_none()),
                "false positive: {cmd}"
            );
        }
    }

    #[test]
    fn success_from_exit_code() {
        let s = B::new()
            .human("deploy")
            .bash("fly deploy", 1, "Error: failed to fetch an image")
            .bash("fly deploy", 0, "Visit your newly deployed app")
            .build();
        let mut e = Evidence::default();
        detect(&calls(&s), &mut e);
        assert_eq!((e.deploys, e.deploys_failed), (1, 1));
        assert_eq!(e.items[0].detail, "fly deploy: deploy succeeded");
        assert!(e.items[0].positive);
    }
}
