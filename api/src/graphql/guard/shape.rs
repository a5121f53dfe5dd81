//! The work a parsed document implies, measured before anything expands it.
//!
//! async-graphql's depth, complexity and recursion checks walk the document
//! with every fragment spread expanded in place. A 700-byte chain of
//! fragments that each spread the next one ten times expands to millions of
//! selections, so those checks themselves cost seconds and gigabytes. Here
//! each fragment is measured once (memoised), so the cost of measuring is
//! linear in the document's length whatever it expands to.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use std::collections::HashMap;

/// What a document may ask for.
#[derive(Debug, Clone, Copy)]
pub struct ShapeLimits {
    /// Levels of fields, inline fragments and fragment spreads.
    pub max_depth: usize,
    /// The same, below `__schema` or `__type`: the standard introspection
    /// query nests `ofType` more deeply than any data query needs.
    pub max_introspection_depth: usize,
    /// Fields, fragments, arguments and directives once every fragment is
    /// expanded, over all operations of the document.
    pub max_selections: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeRefusal {
    TooDeep { limit: usize },
    IntrospectionTooDeep { limit: usize },
    TooManySelections { limit: u64 },
    FragmentCycle { fragment: String },
}

impl std::fmt::Display for ShapeRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShapeRefusal::TooDeep { limit } => write!(
                f,
                "Query is nested too deep: more than {limit} levels of fields, \
                 inline fragments and fragment spreads."
            ),
            ShapeRefusal::IntrospectionTooDeep { limit } => write!(
                f,
                "Introspection query is nested too deep: more than {limit} levels \
                 below __schema or __type."
            ),
            ShapeRefusal::TooManySelections { limit } => write!(
                f,
                "The document asks for too much work: more than {limit} fields, \
                 fragments, arguments and directives once fragments are expanded."
            ),
            ShapeRefusal::FragmentCycle { fragment } => write!(
                f,
                "Fragment \"{fragment}\" spreads itself, directly or through other fragments."
            ),
        }
    }
}

impl ShapeRefusal {
    /// The name of the limit, for clients that branch on it.
    pub fn limit_name(&self) -> &'static str {
        match self {
            ShapeRefusal::TooDeep { .. } => "depth",
            ShapeRefusal::IntrospectionTooDeep { .. } => "introspectionDepth",
            ShapeRefusal::TooManySelections { .. } => "selections",
            ShapeRefusal::FragmentCycle { .. } => "fragmentCycle",
        }
    }
}

/// The expanded size and depth of a selection set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Shape {
    selections: u64,
    /// Deepest path outside introspection.
    depth: usize,
    /// Deepest path that goes through `__schema` or `__type`.
    introspection_depth: usize,
}

impl Shape {
    /// The shape of one selection (a field, an inline fragment or a spread)
    /// whose own cost is `own` and whose children are `inner`.
    fn nest(own: u64, inner: Shape, introspection_root: bool) -> Shape {
        let selections = own.saturating_add(inner.selections);
        if introspection_root {
            return Shape {
                selections,
                depth: 0,
                introspection_depth: 1 + inner.depth.max(inner.introspection_depth),
            };
        }
        Shape {
            selections,
            depth: 1 + inner.depth,
            introspection_depth: if inner.introspection_depth > 0 {
                1 + inner.introspection_depth
            } else {
                0
            },
        }
    }

    fn merge(&mut self, other: Shape) {
        self.selections = self.selections.saturating_add(other.selections);
        self.depth = self.depth.max(other.depth);
        self.introspection_depth = self.introspection_depth.max(other.introspection_depth);
    }
}

enum Memo {
    InProgress,
    Done(Shape),
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    limits: ShapeLimits,
    fragments: HashMap<&'a str, Memo>,
    /// Selection sets being measured right now: bounds this walk's own
    /// recursion.
    open: usize,
    /// How many of the open sets lie below `__schema` or `__type`.
    open_in_introspection: usize,
}

/// Refuses a document whose operations or fragments exceed `limits`.
pub fn check(document: &ExecutableDocument, limits: ShapeLimits) -> Result<(), ShapeRefusal> {
    let mut walker = Walker {
        document,
        limits,
        fragments: HashMap::new(),
        open: 0,
        open_in_introspection: 0,
    };
    let mut total = Shape::default();
    for (_, operation) in document.operations.iter() {
        let own = operation.node.directives.len() as u64;
        let shape = walker.selection_set(&operation.node.selection_set.node)?;
        total.merge(Shape {
            selections: own.saturating_add(shape.selections),
            ..shape
        });
        walker.within_budget(total)?;
    }
    // Fragments no operation uses are refused by validation later, but
    // validation still walks them: measure them too.
    for (name, fragment) in &document.fragments {
        if !walker.fragments.contains_key(name.as_str()) {
            walker.fragment(name.as_str(), &fragment.node.selection_set.node)?;
        }
    }
    Ok(())
}

impl<'a> Walker<'a> {
    fn within_budget(&self, shape: Shape) -> Result<(), ShapeRefusal> {
        if shape.selections > self.limits.max_selections {
            return Err(ShapeRefusal::TooManySelections {
                limit: self.limits.max_selections,
            });
        }
        // Below `__schema` or `__type`, every level is introspection's.
        if self.open_in_introspection > 0 {
            if shape.depth.max(shape.introspection_depth) > self.limits.max_introspection_depth {
                return Err(ShapeRefusal::IntrospectionTooDeep {
                    limit: self.limits.max_introspection_depth,
                });
            }
            return Ok(());
        }
        if shape.depth > self.limits.max_depth {
            return Err(ShapeRefusal::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        if shape.introspection_depth > self.limits.max_introspection_depth {
            return Err(ShapeRefusal::IntrospectionTooDeep {
                limit: self.limits.max_introspection_depth,
            });
        }
        Ok(())
    }

    fn selection_set(&mut self, set: &'a SelectionSet) -> Result<Shape, ShapeRefusal> {
        // Every open set below the root is one level of the path being
        // measured, so a path longer than its limit is refused here, before
        // it can deepen this walk's recursion any further.
        if self.open_in_introspection > 0 {
            if self.open > self.limits.max_introspection_depth {
                return Err(ShapeRefusal::IntrospectionTooDeep {
                    limit: self.limits.max_introspection_depth,
                });
            }
        } else if self.open > self.limits.max_depth {
            return Err(ShapeRefusal::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        self.open += 1;
        let shape = self.selections(set);
        self.open -= 1;
        shape
    }

    fn selections(&mut self, set: &'a SelectionSet) -> Result<Shape, ShapeRefusal> {
        let mut shape = Shape::default();
        for selection in &set.items {
            let directives: u64 = selection
                .node
                .directives()
                .iter()
                .map(|directive| 1 + directive.node.arguments.len() as u64)
                .sum();
            let own = 1 + directives;
            let nested = match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let name = field.name.node.as_str();
                    let introspection_root = name == "__schema" || name == "__type";
                    let inner = if field.selection_set.node.items.is_empty() {
                        Shape::default()
                    } else if introspection_root {
                        self.open_in_introspection += 1;
                        let inner = self.selection_set(&field.selection_set.node);
                        self.open_in_introspection -= 1;
                        inner?
                    } else {
                        self.selection_set(&field.selection_set.node)?
                    };
                    let own = own + field.arguments.len() as u64;
                    Shape::nest(own, inner, introspection_root)
                }
                Selection::InlineFragment(inline) => {
                    let inner = self.selection_set(&inline.node.selection_set.node)?;
                    Shape::nest(own, inner, false)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let inner = match self.document.fragments.get(name) {
                        Some(fragment) => self.fragment(name, &fragment.node.selection_set.node)?,
                        // Unknown fragments are validation's to report.
                        None => Shape::default(),
                    };
                    Shape::nest(own, inner, false)
                }
            };
            shape.merge(nested);
            self.within_budget(shape)?;
        }
        Ok(shape)
    }

    fn fragment(&mut self, name: &'a str, set: &'a SelectionSet) -> Result<Shape, ShapeRefusal> {
        match self.fragments.get(name) {
            Some(Memo::Done(shape)) => return Ok(*shape),
            Some(Memo::InProgress) => {
                return Err(ShapeRefusal::FragmentCycle {
                    fragment: name.to_owned(),
                });
            }
            None => {}
        }
        self.fragments.insert(name, Memo::InProgress);
        let shape = self.selection_set(set)?;
        self.fragments.insert(name, Memo::Done(shape));
        Ok(shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    const LIMITS: ShapeLimits = ShapeLimits {
        max_depth: 12,
        max_introspection_depth: 20,
        max_selections: 5_000,
    };

    fn shape_of(source: &str) -> Result<(), ShapeRefusal> {
        check(&parse_query(source).expect("parses"), LIMITS)
    }

    /// `fragment F0 { ...F1 ×width } … fragment F<depth> { __typename }`.
    fn fan_out(width: usize, depth: usize) -> String {
        let mut doc = String::from("query { ...F0 }\n");
        for level in 0..depth {
            let spreads = format!("...F{} ", level + 1).repeat(width);
            doc.push_str(&format!("fragment F{level} on Query {{ {spreads}}}\n"));
        }
        doc.push_str(&format!("fragment F{depth} on Query {{ __typename }}\n"));
        doc
    }

    #[test]
    fn ordinary_queries_pass() {
        assert_eq!(
            shape_of("{ me { id email } logEntries(first: 10) { edges { node { id } } } }"),
            Ok(())
        );
        assert_eq!(shape_of("query A { a } query B { b }"), Ok(()));
    }

    #[test]
    fn fragment_fan_out_is_refused_without_expanding_it() {
        for width in 2..=10_usize {
            for depth in 1..=30 {
                // What expanding it would cost: width^depth spreads, on
                // depth + 2 levels.
                let expanded = (width as f64).powi(depth as i32);
                let result = shape_of(&fan_out(width, depth));
                if expanded > 5_000.0 || depth + 2 > 12 {
                    assert!(
                        matches!(
                            result,
                            Err(ShapeRefusal::TooManySelections { .. }
                                | ShapeRefusal::TooDeep { .. })
                        ),
                        "width {width} depth {depth}: {result:?}"
                    );
                } else if expanded < 1_000.0 {
                    assert_eq!(result, Ok(()), "width {width} depth {depth}");
                }
            }
        }
        assert_eq!(
            shape_of(&fan_out(4, 6)),
            Err(ShapeRefusal::TooManySelections { limit: 5_000 })
        );
    }

    #[test]
    fn inline_fragments_and_spreads_count_as_levels() {
        let inline = format!(
            "{{ {} __typename {} }}",
            "... on Query { ".repeat(13),
            "} ".repeat(13)
        );
        assert_eq!(shape_of(&inline), Err(ShapeRefusal::TooDeep { limit: 12 }));
        let inline = format!(
            "{{ {} __typename {} }}",
            "... on Query { ".repeat(11),
            "} ".repeat(11)
        );
        assert_eq!(shape_of(&inline), Ok(()));
    }

    #[test]
    fn introspection_has_its_own_depth() {
        let of_type = |n: usize| {
            format!(
                "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
                "ofType { ".repeat(n),
                "} ".repeat(n)
            )
        };
        assert_eq!(shape_of(&of_type(14)), Ok(()));
        assert_eq!(
            shape_of(&of_type(17)),
            Err(ShapeRefusal::IntrospectionTooDeep { limit: 20 })
        );
    }

    #[test]
    fn fragment_cycles_are_refused() {
        let source = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
        assert!(matches!(
            shape_of(source),
            Err(ShapeRefusal::FragmentCycle { .. })
        ));
        let unused = "{ a } fragment A on Query { ...A }";
        assert!(matches!(
            shape_of(unused),
            Err(ShapeRefusal::FragmentCycle { .. })
        ));
    }

    #[test]
    fn long_fragment_chains_are_refused_without_deep_recursion() {
        let mut doc = String::from("{ ...F0 }\n");
        for i in 0..5_000 {
            doc.push_str(&format!("fragment F{i} on Query {{ ...F{} }}\n", i + 1));
        }
        doc.push_str("fragment F5000 on Query { a }\n");
        assert!(matches!(shape_of(&doc), Err(ShapeRefusal::TooDeep { .. })));
    }

    #[test]
    fn alias_and_directive_floods_count() {
        let aliases: String = (0..5_001).map(|i| format!("a{i}: __typename ")).collect();
        assert_eq!(
            shape_of(&format!("{{ {aliases} }}")),
            Err(ShapeRefusal::TooManySelections { limit: 5_000 })
        );
        let directives = "@include(if: true) ".repeat(2_600);
        assert_eq!(
            shape_of(&format!("{{ __typename {directives} }}")),
            Err(ShapeRefusal::TooManySelections { limit: 5_000 })
        );
    }
}
