//! A ComfyUI API graph (`{id: {class_type, inputs}}`, inputs either values
//! or links `[node id, output index]`), with the editor's `workflow` beside
//! it for the types the API graph does not carry.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

/// A node the output depends on: its id and the node.
pub type Upstream<'a> = (&'a str, &'a Value);

/// Most nodes walked from one output: a bound on hostile graphs.
const MAX_NODES: usize = 4096;

pub struct Graph<'a> {
    pub nodes: &'a serde_json::Map<String, Value>,
    /// What the editor's workflow says of each node (by id).
    pub types: HashMap<String, Typed>,
}

/// The editor's types of one node's inputs and outputs.
#[derive(Debug, Default)]
pub struct Typed {
    /// Input name → type (`CONDITIONING`, `STRING`, `IMAGE`…).
    pub inputs: HashMap<String, String>,
    /// Outputs in order: (name, type).
    pub outputs: Vec<(String, String)>,
}

pub fn class(node: &Value) -> &str {
    node.get("class_type").and_then(Value::as_str).unwrap_or("")
}

/// A node that writes the file: `SaveImage`, `SaveVideo`, `SaveWEBM`,
/// `SaveAnimatedWEBP`, `VHS_VideoCombine`, `SaveAudio`…
pub fn is_output(node: &Value) -> bool {
    let c = class(node);
    c.starts_with("Save") || c.ends_with("VideoCombine")
}

/// The editor's types by node id, from a workflow's `nodes` (each with
/// `inputs: [{name, type}]`, `outputs: [{name, type}]`).
pub fn editor_types(workflow: Option<&str>) -> HashMap<String, Typed> {
    let Some(v) = workflow.and_then(|w| serde_json::from_str::<Value>(w).ok()) else {
        return HashMap::new();
    };
    let pairs = |n: &Value, key: &str| -> Vec<(String, String)> {
        n.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let name = s.get("name")?.as_str()?;
                let ty = s.get("type")?.as_str()?;
                Some((name.to_string(), ty.to_string()))
            })
            .collect()
    };
    let nodes = v.get("nodes").and_then(Value::as_array);
    nodes
        .into_iter()
        .flatten()
        .take(MAX_NODES)
        .filter_map(|n| {
            let id = scalar(n.get("id")?)?;
            let typed = Typed {
                inputs: pairs(n, "inputs").into_iter().collect(),
                outputs: pairs(n, "outputs"),
            };
            Some((id, typed))
        })
        .collect()
}

impl<'a> Graph<'a> {
    /// Node ids in a stable order (numeric ids by number).
    pub fn ids(&self) -> Vec<&'a String> {
        let mut ids: Vec<&String> = self.nodes.keys().collect();
        ids.sort_by_key(|id| (id.parse::<u64>().unwrap_or(u64::MAX), id.as_str()));
        ids
    }

    /// The output nodes, in id order.
    pub fn outputs(&self) -> Vec<&'a String> {
        self.ids()
            .into_iter()
            .filter(|id| is_output(&self.nodes[id.as_str()]))
            .collect()
    }

    /// Every node `output` depends on, nearest first (breadth first,
    /// backwards).
    pub fn upstream(&self, output: &str) -> Vec<Upstream<'a>> {
        let mut queue = VecDeque::from([output.to_string()]);
        let (mut seen, mut out) = (HashSet::new(), Vec::new());
        while let Some(at) = queue.pop_front() {
            if seen.len() > MAX_NODES || !seen.insert(at.clone()) {
                continue;
            }
            let Some((id, node)) = self.nodes.get_key_value(&at) else {
                continue;
            };
            out.push((id.as_str(), node));
            let inputs = node.get("inputs").and_then(Value::as_object);
            queue.extend(
                inputs
                    .into_iter()
                    .flat_map(|i| i.values())
                    .filter_map(link_id),
            );
        }
        out
    }

    /// The node a link points to.
    pub fn node(&self, link: &Value) -> Option<&'a Value> {
        self.nodes.get(&link_id(link)?)
    }

    pub fn input(&self, node: &'a Value, key: &str) -> Option<&'a Value> {
        node.get("inputs")?.get(key)
    }

    /// The node linked from `node`'s input `key`.
    pub fn linked(&self, node: &'a Value, key: &str) -> Option<&'a Value> {
        self.node(self.input(node, key)?)
    }

    /// An input's value, or the value of the primitive node feeding it.
    pub fn value(&self, node: &'a Value, key: &str) -> Option<String> {
        let v = self.input(node, key)?;
        scalar(v).or_else(|| {
            let source = self.node(v)?;
            [
                "value",
                "string",
                "text",
                "seed",
                "noise_seed",
                "int",
                "float",
            ]
            .iter()
            .find_map(|k| self.input(source, k).and_then(scalar))
        })
    }

    /// The editor's type of input `key` of node `id`.
    pub fn input_type(&self, id: &str, key: &str) -> Option<&str> {
        self.types.get(id)?.inputs.get(key).map(String::as_str)
    }

    /// The editor's name and type of output `index` of node `id`.
    pub fn output_slot(&self, id: &str, index: u64) -> Option<&(String, String)> {
        self.types.get(id)?.outputs.get(index as usize)
    }
}

/// The node id a link (`[id, output]`) points to.
pub fn link_id(link: &Value) -> Option<String> {
    let arr = link.as_array()?;
    if arr.len() != 2 || !arr[1].is_u64() {
        return None;
    }
    match &arr[0] {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn output_index(link: &Value) -> u64 {
    link.as_array()
        .and_then(|a| a.get(1))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
