//! Token estimates. Llama-family tokenizers average close to four characters
//! per token on English prose and a little less on identifiers and numbers;
//! counting `chars / 3.6`, rounded up, errs on the side of a shorter prompt.
//! The worker records the model's own prompt token count next to this
//! estimate, so the ratio can be checked on real reports.

pub fn estimate_tokens(text: &str) -> usize {
    (text.chars().count() * 10).div_ceil(36)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_round_up() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("abcd"), 2);
        assert_eq!(estimate_tokens(&"a".repeat(360)), 100);
    }
}
