//! `$(( ... ))`: bash's integer arithmetic (64-bit, C precedence).

/// Evaluates `expr`; `var` gives a variable's value (unset and empty count as 0).
pub fn evaluate(expr: &str, var: &mut dyn FnMut(&str) -> Option<String>) -> Result<i64, String> {
    evaluate_at(expr, var, 0)
}

/// How deep variables may refer to variables (`x=y y=x`); bash allows 1024,
/// the playground less so that the stack of a wasm page is never at risk.
const RECURSION_MAX: usize = 100;

fn evaluate_at(
    expr: &str,
    var: &mut dyn FnMut(&str) -> Option<String>,
    depth: usize,
) -> Result<i64, String> {
    let tokens = tokenize(expr)?;
    let mut p = Arith {
        tokens,
        pos: 0,
        expr,
        var,
        depth,
    };
    if p.tokens.is_empty() {
        return Ok(0);
    }
    let value = p.binary(0)?;
    match p.tokens.get(p.pos) {
        None => Ok(value),
        Some(_) => Err(p.error("syntax error in expression")),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+", "-", "*", "/", "%", "<", ">", "(",
    ")", "!", "~", "&", "|", "^",
];

fn tokenize(expr: &str) -> Result<Vec<(Tok, usize)>, String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let value = parse_number(&text).ok_or_else(|| {
                format!("{expr}: value too great for base (error token is \"{text}\")")
            })?;
            out.push((Tok::Num(value), start));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Name(chars[start..i].iter().collect()), start));
        } else {
            let rest: String = chars[i..].iter().collect();
            let op = OPS.iter().find(|op| rest.starts_with(**op)).ok_or_else(|| {
                format!("{expr}: syntax error: invalid arithmetic operator (error token is \"{rest}\")")
            })?;
            out.push((Tok::Op(op), i));
            i += op.len();
        }
    }
    Ok(out)
}

/// A number literal: decimal, `0x` hex or `0` octal; 64 bits wrap as in bash.
fn parse_number(text: &str) -> Option<i64> {
    let (digits, radix) =
        if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (hex, 16)
        } else if text.len() > 1 && text.starts_with('0') {
            (&text[1..], 8)
        } else {
            (text, 10)
        };
    u64::from_str_radix(digits, radix).ok().map(|v| v as i64)
}

struct Arith<'a> {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    expr: &'a str,
    var: &'a mut dyn FnMut(&str) -> Option<String>,
    depth: usize,
}

/// Binary operators by precedence level, lowest first.
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Arith<'_> {
    /// bash's wording: the expression as written, and the text from the token
    /// where parsing stopped (the last one, when it stopped at the end).
    fn error(&self, what: &str) -> String {
        let at = self
            .tokens
            .get(self.pos)
            .or_else(|| self.tokens.last())
            .map_or(self.expr.chars().count(), |(_, at)| *at);
        let rest: String = self.expr.chars().skip(at).collect();
        format!("{}: {what} (error token is \"{rest}\")", self.expr)
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.tokens.get(self.pos) {
            Some((Tok::Op(op), _)) => Some(op),
            _ => None,
        }
    }

    fn binary(&mut self, level: usize) -> Result<i64, String> {
        if level == LEVELS.len() {
            return self.power();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.peek_op().filter(|op| LEVELS[level].contains(op)) {
            self.pos += 1;
            let right = self.binary(level + 1)?;
            left = match op {
                "||" => i64::from(left != 0 || right != 0),
                "&&" => i64::from(left != 0 && right != 0),
                "|" => left | right,
                "^" => left ^ right,
                "&" => left & right,
                "==" => i64::from(left == right),
                "!=" => i64::from(left != right),
                "<" => i64::from(left < right),
                ">" => i64::from(left > right),
                "<=" => i64::from(left <= right),
                ">=" => i64::from(left >= right),
                "<<" => left.wrapping_shl(right as u32),
                ">>" => left.wrapping_shr(right as u32),
                "+" => left.wrapping_add(right),
                "-" => left.wrapping_sub(right),
                "*" => left.wrapping_mul(right),
                "/" | "%" if right == 0 => {
                    self.pos -= 1;
                    return Err(self.error("division by 0"));
                }
                "/" => left.wrapping_div(right),
                "%" => left.wrapping_rem(right),
                _ => unreachable!("operator {op} is in LEVELS"),
            };
        }
        Ok(left)
    }

    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.peek_op() == Some("**") {
            self.pos += 1;
            let exp = self.power()?;
            if exp < 0 {
                return Err(self.error("exponent less than 0"));
            }
            return Ok(base.wrapping_pow(exp.min(u32::MAX as i64) as u32));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<i64, String> {
        match self.peek_op() {
            Some("-") => {
                self.pos += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some("+") => {
                self.pos += 1;
                self.unary()
            }
            Some("!") => {
                self.pos += 1;
                Ok(i64::from(self.unary()? == 0))
            }
            Some("~") => {
                self.pos += 1;
                Ok(!self.unary()?)
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<i64, String> {
        let Some((tok, _)) = self.tokens.get(self.pos).cloned() else {
            return Err(self.error("syntax error: operand expected"));
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(n),
            Tok::Name(name) => {
                let value = (self.var)(&name).unwrap_or_default();
                if value.trim().is_empty() {
                    Ok(0)
                } else if self.depth >= RECURSION_MAX {
                    self.pos -= 1;
                    Err(self.error("expression recursion level exceeded"))
                } else {
                    evaluate_at(&value, self.var, self.depth + 1)
                }
            }
            Tok::Op("(") => {
                let v = self.binary(0)?;
                if self.peek_op() != Some(")") {
                    return Err(self.error("missing `)'"));
                }
                self.pos += 1;
                Ok(v)
            }
            Tok::Op(_) => {
                self.pos -= 1;
                Err(self.error("syntax error: operand expected"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(e: &str) -> Result<i64, String> {
        evaluate(e, &mut |n| (n == "x").then(|| "7".to_owned()))
    }

    #[test]
    fn follows_c_precedence() {
        assert_eq!(eval("1 + 2 * 3"), Ok(7));
        assert_eq!(eval("(1 + 2) * 3"), Ok(9));
        assert_eq!(eval("2 ** 3 ** 2"), Ok(512));
        assert_eq!(eval("-x + 10"), Ok(3));
        assert_eq!(eval("x > 5 && unset == 0"), Ok(1));
        assert_eq!(eval("7 % 3"), Ok(1));
        assert_eq!(eval(""), Ok(0));
    }

    #[test]
    fn a_variable_naming_itself_is_an_error_not_a_crash() {
        let looped = evaluate("x + 1", &mut |_| Some("x".to_owned()));
        assert_eq!(
            looped.unwrap_err(),
            "x: expression recursion level exceeded (error token is \"x\")"
        );
    }

    #[test]
    fn reports_errors_as_bash_does() {
        assert_eq!(
            eval("1/0").unwrap_err(),
            "1/0: division by 0 (error token is \"0\")"
        );
        assert_eq!(
            eval("1 + ").unwrap_err(),
            "1 + : syntax error: operand expected (error token is \"+ \")"
        );
        assert_eq!(
            eval("1 + * 2").unwrap_err(),
            "1 + * 2: syntax error: operand expected (error token is \"* 2\")"
        );
    }

    proptest::proptest! {
        #[test]
        fn matches_64_bit_wrapping_arithmetic(a in proptest::num::i64::ANY, b in proptest::num::i64::ANY, c in 1i64..1000) {
            proptest::prop_assert_eq!(eval(&format!("{a} + {b} * {c}")), Ok(a.wrapping_add(b.wrapping_mul(c))));
            proptest::prop_assert_eq!(eval(&format!("({a} - {b}) / {c}")), Ok(a.wrapping_sub(b).wrapping_div(c)));
            proptest::prop_assert_eq!(eval(&format!("{a} % {c} == {}", a.wrapping_rem(c))), Ok(1));
            proptest::prop_assert_eq!(eval(&format!("{}", i64::MIN)), Ok(i64::MIN));
        }
    }
}
