//! A per-model price table (US dollars per million input / output tokens)
//! for the cost estimate behind `--max-cost` and the progress display.
//! Prices are list prices as known when this table was written; they change:
//! check the provider's price page, or pass `--price IN,OUT`. The estimate
//! ignores prompt-caching discounts and batch pricing.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// US$ per million input tokens.
    pub input: f64,
    /// US$ per million output tokens.
    pub output: f64,
}

impl Price {
    pub fn cost(&self, input_tokens: u64, output_tokens: u64) -> f64 {
        (input_tokens as f64 * self.input + output_tokens as f64 * self.output) / 1e6
    }
}

/// Most specific first: the first pattern contained in the model id wins.
const TABLE: &[(&str, f64, f64)] = &[
    // Anthropic
    ("opus-4-5", 5.0, 25.0),
    ("opus-4.5", 5.0, 25.0),
    ("opus", 15.0, 75.0),
    ("sonnet", 3.0, 15.0),
    ("haiku-4", 1.0, 5.0),
    ("3-5-haiku", 0.8, 4.0),
    ("3-haiku", 0.25, 1.25),
    ("haiku", 1.0, 5.0),
    // OpenAI
    ("gpt-5-nano", 0.05, 0.4),
    ("gpt-5-mini", 0.25, 2.0),
    ("gpt-5", 1.25, 10.0),
    ("gpt-4.1-nano", 0.1, 0.4),
    ("gpt-4.1-mini", 0.4, 1.6),
    ("gpt-4.1", 2.0, 8.0),
    ("gpt-4o-mini", 0.15, 0.6),
    ("gpt-4o", 2.5, 10.0),
    ("o4-mini", 1.1, 4.4),
    ("o3-mini", 1.1, 4.4),
    ("o3", 2.0, 8.0),
];

/// The known price of `model`, if any.
pub fn lookup(model: &str) -> Option<Price> {
    let m = model.to_ascii_lowercase();
    TABLE
        .iter()
        .find(|(p, _, _)| m.contains(p))
        .map(|&(_, input, output)| Price { input, output })
}

/// Parses `--price IN,OUT`.
pub fn parse(s: &str) -> Result<Price, String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("expected IN,OUT (US$ per million tokens), got '{s}'"))?;
    let p = |x: &str| {
        x.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("'{x}' is not a price"))
    };
    Ok(Price {
        input: p(a)?,
        output: p(b)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_and_cost() {
        let p = lookup("claude-sonnet-4-5-20250929").unwrap();
        assert_eq!(
            p,
            Price {
                input: 3.0,
                output: 15.0
            }
        );
        assert!((p.cost(1_000_000, 100_000) - 4.5).abs() < 1e-9);
        assert_eq!(lookup("gpt-4o-mini-2024-07-18").unwrap().input, 0.15);
        assert_eq!(lookup("claude-opus-4-5").unwrap().input, 5.0);
        assert!(lookup("qwen2.5-coder:7b").is_none());
        assert_eq!(
            parse("0.5, 2").unwrap(),
            Price {
                input: 0.5,
                output: 2.0
            }
        );
        assert!(parse("1").is_err() && parse("a,b").is_err() && parse("-1,2").is_err());
    }
}
