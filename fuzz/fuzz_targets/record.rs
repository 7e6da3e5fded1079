//! The signed generation record decoder (`film.credits.generation`) on
//! arbitrary JSON: a record or an error, and a decoded record survives a
//! round trip unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = serde_json::from_slice::<credits::record::GenerationRecord>(data) {
        let text = serde_json::to_vec(&record).expect("a decoded record serializes");
        let again: credits::record::GenerationRecord =
            serde_json::from_slice(&text).expect("and decodes again");
        assert_eq!(record, again);
    }
});
