//! Hostile GraphQL documents, by family: what an attacker without an
//! account sends to take a server down or to make it work for seconds.
//! Every one of them must be refused before execution.

/// One hostile document and what makes it so.
pub struct Hostile {
    pub family: &'static str,
    pub name: String,
    pub query: String,
}

fn hostile(family: &'static str, name: impl Into<String>, query: String) -> Hostile {
    Hostile {
        family,
        name: name.into(),
        query,
    }
}

/// `[[[…1…]]]`, `{a:{a:…}}` and both mixed, as an argument literal.
pub fn nested_literals(depths: &[usize]) -> Vec<Hostile> {
    let mut documents = Vec::new();
    for &depth in depths {
        let list = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let object = format!("{}1{}", "{a:".repeat(depth), "}".repeat(depth));
        let mixed = format!("{}1{}", "[{a:".repeat(depth / 2), "}]".repeat(depth / 2));
        for (shape, literal) in [("list", list), ("object", object), ("mixed", mixed)] {
            documents.push(hostile(
                "nested literal",
                format!("{shape} {depth}"),
                format!("{{ __typename(x: {literal}) }}"),
            ));
        }
    }
    documents
}

/// Selection sets nested by the thousand (the parser's other recursion).
pub fn nested_selections(depths: &[usize]) -> Vec<Hostile> {
    depths
        .iter()
        .map(|&depth| {
            hostile(
                "nested selections",
                depth.to_string(),
                format!("{}__typename{}", "{ a ".repeat(depth), " }".repeat(depth)),
            )
        })
        .collect()
}

/// `fragment F0 { ...F1 ×width } … fragment F<depth> { __typename }`: a
/// few hundred bytes that expand to width^depth selections.
pub fn fragment_fan_out(width: usize, depth: usize) -> Hostile {
    let mut query = String::from("query { ...F0 }\n");
    for level in 0..depth {
        let spreads = format!("...F{} ", level + 1).repeat(width);
        query.push_str(&format!("fragment F{level} on Query {{ {spreads}}}\n"));
    }
    query.push_str(&format!("fragment F{depth} on Query {{ __typename }}\n"));
    hostile(
        "fragment fan-out",
        format!("width {width} depth {depth}"),
        query,
    )
}

pub fn fragment_fan_outs() -> Vec<Hostile> {
    let mut documents = Vec::new();
    for width in 2..=10 {
        for depth in [14, 20, 24, 30] {
            documents.push(fragment_fan_out(width, depth));
        }
    }
    for (width, depth) in [(10, 7), (10, 8), (5, 10), (3, 12)] {
        documents.push(fragment_fan_out(width, depth));
    }
    documents
}

/// Inline fragments nested past the depth limit, around a single field.
pub fn inline_fragment_depth(depths: &[usize]) -> Vec<Hostile> {
    depths
        .iter()
        .map(|&depth| {
            hostile(
                "inline-fragment depth",
                depth.to_string(),
                format!(
                    "{{ {} __typename {} }}",
                    "... on Query { ".repeat(depth),
                    "} ".repeat(depth)
                ),
            )
        })
        .collect()
}

/// Fragments that spread each other in a cycle.
pub fn fragment_cycles() -> Vec<Hostile> {
    vec![
        hostile(
            "fragment cycle",
            "two fragments",
            "{ ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A ...A }"
                .to_owned(),
        ),
        hostile(
            "fragment cycle",
            "self, unused",
            "{ __typename } fragment A on Query { ...A ...A ...A }".to_owned(),
        ),
    ]
}

/// Thousands of aliases of one small selection.
pub fn alias_flood(count: usize) -> Hostile {
    let aliases: String = (0..count)
        .map(|i| format!("a{i}:me{{id email}} "))
        .collect();
    hostile("alias flood", count.to_string(), format!("{{ {aliases}}}"))
}

/// One field carrying thousands of directives.
pub fn directive_flood(count: usize) -> Hostile {
    hostile(
        "directive flood",
        count.to_string(),
        format!("{{ __typename {} }}", "@include(if: true) ".repeat(count)),
    )
}

/// Introspection nested past its own bound.
pub fn deep_introspection(of_type: usize) -> Hostile {
    hostile(
        "deep introspection",
        format!("ofType {of_type}"),
        format!(
            "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
            "ofType { ".repeat(of_type),
            "} ".repeat(of_type)
        ),
    )
}

/// Every family, at the sizes that matter.
pub fn all() -> Vec<Hostile> {
    let mut documents = nested_literals(&[1_000, 2_000, 50_000]);
    documents.extend(nested_selections(&[1_000, 2_000, 20_000]));
    documents.extend(fragment_fan_outs());
    documents.extend(inline_fragment_depth(&[13, 32, 5_000]));
    documents.extend(fragment_cycles());
    documents.push(alias_flood(2_000));
    documents.push(directive_flood(3_000));
    documents.push(deep_introspection(40));
    documents
}
