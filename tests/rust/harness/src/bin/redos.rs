//! Patterns on hostile inputs: each stdin line is a JSON array `[ecma, regex, input]` (the
//! pattern, its `regex` crate translation, a string); prints `valid|invalid <microseconds>`
//! per line, checked through `specgen_runtime::schema::pattern` as generated code does.

use std::io::BufRead;
use std::time::Instant;

use specgen_runtime::schema::{self, Path, Pattern};

fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("line");
        let fields: Vec<String> = serde_json::from_str(&line).expect("[ecma, regex, input]");
        let [ecma, translated, input] = <[String; 3]>::try_from(fields).expect("three strings");
        let source: &'static str = Box::leak(ecma.into_boxed_str());
        let regex: &'static str = Box::leak(translated.into_boxed_str());
        let pattern = Pattern::translated(source, regex);
        pattern.regex(); // compile outside the measurement
        let start = Instant::now();
        let verdict = schema::pattern(&input, &pattern, &Path::ROOT).is_ok();
        let micros = start.elapsed().as_micros();
        println!("{} {micros}", if verdict { "valid" } else { "invalid" });
    }
}
