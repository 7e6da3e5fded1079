//! The fixture film `credits audit` is tested on, built by a recipe: three
//! operators, prompt-only shots, shots with controls and selection, a
//! composited final cut, a tampered shot, an unsigned plate, a
//! non-commercial tool, a foreign signer, and a transcoded proxy.

use std::path::{Path, PathBuf};

use crate::support::{credits, ffmpeg, flip_media_byte, frame, json, path_str as s, Studio};

/// A 2-second 320x180 clip from an ffmpeg source.
pub fn clip(path: &Path, source: &str) {
    lavfi_clip(
        path,
        &format!("{source}=size=320x180:rate=24,noise=alls=15:allf=t"),
        "2",
    );
}

pub use crate::support::lavfi_clip;

/// `proxy` transcoded down from `source`, signed by `who` as a derivation.
pub fn proxy(source: &Path, proxy: &Path, who: &Operator) {
    ffmpeg(&[
        "-i",
        s(source),
        "-vf",
        "scale=-2:120",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        s(proxy),
    ]);
    credits()
        .arg("derive")
        .arg(proxy)
        .arg("--from")
        .arg(source)
        .args([
            "--action",
            "transcoded",
            "--tool",
            "ffmpeg",
            "--license",
            "LGPL-2.1",
            "--commercial-use",
            "yes",
            "--key",
        ])
        .arg(who.key)
        .arg("--chain")
        .arg(who.chain)
        .assert()
        .success();
}

/// One operator's identity for stamping.
pub struct Operator<'a> {
    pub key: &'a Path,
    pub chain: &'a Path,
}

/// Stamp `file` in place as `who` with `args`; prompt reveal files go to
/// `reveals/` beside the film's directory, never into the delivery.
pub fn stamp(who: &Operator, file: &Path, args: &[&str]) {
    let dir = file.parent().expect("in a directory");
    let reveals = dir.with_file_name("reveals");
    credits()
        .arg("stamp")
        .arg(file)
        .arg("--in-place")
        .arg("--reveal-dir")
        .arg(reveals)
        .arg("--key")
        .arg(who.key)
        .arg("--chain")
        .arg(who.chain)
        .args(args)
        .assert()
        .success();
}

pub const RUNWAY: &[&str] = &[
    "--tool",
    "Runway",
    "--license",
    "runway-pro",
    "--commercial-use",
    "yes",
];
pub const KLING: &[&str] = &[
    "--tool",
    "Kling",
    "--license",
    "kling-pro",
    "--commercial-use",
    "yes",
];

pub struct Film {
    pub studio: Studio,
    pub _rogue: Studio,
    pub dir: PathBuf,
    pub policy: PathBuf,
}

/// The fixture film, built from scratch in a temporary directory.
pub fn film() -> Film {
    let studio = Studio::new("Northwind Pictures");
    let rogue = Studio::new("Rogue Studio");
    let (bob_key, bob_chain) = studio.issue("Bob Diaz", "bob@studio.test");
    let (carol_key, carol_chain) = studio.issue("Carol Ito", "carol@studio.test");
    let alice = Operator {
        key: &studio.key,
        chain: &studio.chain,
    };
    let bob = Operator {
        key: &bob_key,
        chain: &bob_chain,
    };
    let carol = Operator {
        key: &carol_key,
        chain: &carol_chain,
    };
    let mallory = Operator {
        key: &rogue.key,
        chain: &rogue.chain,
    };
    let dir = studio.subdir("film");
    let refs = studio.subdir("refs");
    let first = refs.join("first.png");
    frame(&first, 7);
    let f = |name: &str| dir.join(name);

    clip(&f("shot01.mp4"), "testsrc2");
    stamp(
        &alice,
        &f("shot01.mp4"),
        &[RUNWAY, &["--prompt", "a fox at dawn"]].concat(),
    );
    clip(&f("shot02.mp4"), "mandelbrot");
    let control = format!("first_frame={}", s(&first));
    stamp(
        &bob,
        &f("shot02.mp4"),
        &[
            KLING,
            &[
                "--role",
                "control",
                "--prompt",
                "fox runs",
                "--control",
                &control,
                "--selection",
                "1/24",
            ],
        ]
        .concat(),
    );
    clip(&f("shot03.mp4"), "life");
    stamp(
        &alice,
        &f("shot03.mp4"),
        &[RUNWAY, &["--prompt", "snow falls", "--selection", "1/8"]].concat(),
    );
    clip(&f("shot04.mp4"), "cellauto");
    stamp(
        &bob,
        &f("shot04.mp4"),
        &[KLING, &["--role", "control"]].concat(),
    );
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=330:sample_rate=48000",
        "-t",
        "2",
        s(&f("score.wav")),
    ]);
    stamp(
        &carol,
        &f("score.wav"),
        &[
            "--tool",
            "Suno",
            "--license",
            "suno-pro",
            "--commercial-use",
            "yes",
            "--role",
            "audio",
            "--prompt",
            "sparse piano",
        ],
    );
    frame(&f("plate.png"), 3);
    clip(&f("shot05.mp4"), "testsrc");
    stamp(
        &alice,
        &f("shot05.mp4"),
        &[RUNWAY, &["--prompt", "a lighthouse"]].concat(),
    );
    flip_media_byte(&f("shot05.mp4"));
    clip(&f("shot06.mp4"), "rgbtestsrc");
    stamp(
        &bob,
        &f("shot06.mp4"),
        &[
            "--tool",
            "FreeGen",
            "--license",
            "freegen-nc",
            "--commercial-use",
            "no",
            "--role",
            "control",
            "--prompt",
            "a storm",
        ],
    );
    clip(&f("shot07.mp4"), "smptebars");
    stamp(
        &mallory,
        &f("shot07.mp4"),
        &[RUNWAY, &["--prompt", "a stranger"]].concat(),
    );

    // A proxy transcoded from shot01, signed as a derivation by Carol.
    proxy(&f("shot01.mp4"), &f("shot01_proxy.mp4"), &carol);

    // The final cut: shots 1-3 and the plate composited by Carol.
    let list = studio.dir.path().join("concat.txt");
    let lines: String = ["shot01.mp4", "shot02.mp4", "shot03.mp4"]
        .iter()
        .map(|n| format!("file '{}'\n", s(&f(n))))
        .collect();
    std::fs::write(&list, lines).expect("write list");
    ffmpeg(&[
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        s(&list),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        s(&f("final_cut.mp4")),
    ]);
    let mut args = vec![
        "--tool",
        "DaVinci Resolve",
        "--license",
        "resolve-studio",
        "--commercial-use",
        "yes",
        "--role",
        "compositing",
    ];
    let parts: Vec<String> = ["shot01.mp4", "shot02.mp4", "shot03.mp4", "plate.png"]
        .iter()
        .map(|n| s(&f(n)).to_string())
        .collect();
    for p in &parts {
        args.extend(["--ingredient", p.as_str()]);
    }
    stamp(&carol, &f("final_cut.mp4"), &args);

    let policy = studio.dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "require_trusted = true\ncommercial = true\nmax_autonomous_share = 0.5\n\n[role_weights]\nprompt_design = 40\ncontrol = 30\naudio = 30\n",
    )
    .expect("write policy");
    Film {
        studio,
        _rogue: rogue,
        dir,
        policy,
    }
}

pub fn audit_json(film: &Film) -> serde_json::Value {
    let output = credits()
        .arg("audit")
        .arg(&film.dir)
        .arg("--trust")
        .arg(&film.studio.trust)
        .arg("--policy")
        .arg(&film.policy)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&output)
}

pub fn name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
