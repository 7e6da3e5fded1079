//! The README's layout map names every entry directly under `src/` once,
//! and nothing that is not there (issue 30): it cannot drift from the tree.

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn the_readme_layout_map_is_the_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let at = readme.find("## Layout\n").expect("a Layout section");
    let block = readme[at..]
        .split("```")
        .nth(1)
        .expect("the layout map's code block");
    let mut named = Vec::new();
    for line in block
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
    {
        let entry = line.split_whitespace().next().unwrap_or_default();
        named.push(entry.trim_start_matches("src/").to_string());
    }
    let unique: BTreeSet<&String> = named.iter().collect();
    assert_eq!(unique.len(), named.len(), "named twice: {named:?}");
    let tree: BTreeSet<String> = std::fs::read_dir(root.join("src"))
        .expect("src")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    let map: BTreeSet<String> = named.into_iter().collect();
    assert_eq!(map, tree, "README layout map vs src/");
    let files = tree.iter().filter(|n| !n.ends_with('/')).count();
    assert!(files <= 6, "{files} files directly under src/");
}
