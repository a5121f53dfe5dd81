//! Everything a deletion must leave clean, as text: every row of every
//! table, every Redis key under a prefix.

use super::*;

/// Every row of every table as text: `row::text` on PostgreSQL, all
/// columns concatenated on SQLite. Tables added by later migrations are
/// included without changes here.
pub(super) async fn dump_database(db: &DatabaseConnection) -> String {
    let backend = db.get_database_backend();
    let list = match backend {
        DbBackend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .expect("tables")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("name"))
        .collect();
    assert!(tables.len() >= 10, "{tables:?}");
    let mut dump = String::new();
    for table in tables {
        let select = match backend {
            DbBackend::Postgres => format!("SELECT t::text FROM \"{table}\" t"),
            _ => {
                let columns: Vec<String> = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("PRAGMA table_info(\"{table}\")"),
                    ))
                    .await
                    .expect("columns")
                    .iter()
                    .map(|r| r.try_get::<String>("", "name").expect("column name"))
                    .collect();
                let joined: Vec<String> = columns
                    .iter()
                    // UUIDs are blobs in SQLite: shown as hex.
                    .map(|c| {
                        format!(
                            "COALESCE(CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END, '')"
                        )
                    })
                    .collect();
                format!("SELECT {} FROM \"{table}\"", joined.join(" || '|' || "))
            }
        };
        for row in db
            .query_all_raw(Statement::from_string(backend, select))
            .await
            .expect("rows")
        {
            dump.push_str(&table);
            dump.push_str(": ");
            dump.push_str(&row.try_get_by_index::<String>(0).expect("row text"));
            dump.push('\n');
        }
    }
    dump
}

/// Every key under `prefix` with all its content, whatever its type.
pub(super) async fn dump_redis(prefix: &str) -> String {
    let client = redis::Client::open(redis_url()).expect("redis url");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let mut keys: Vec<String> = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}:*"))
            .arg("COUNT")
            .arg(500)
            .query_async(&mut conn)
            .await
            .expect("scan");
        keys.extend(batch);
        if next == 0 {
            break;
        }
        cursor = next;
    }
    let mut dump = String::new();
    for key in keys {
        let kind: String = redis::cmd("TYPE")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .unwrap();
        let command: &[&str] = match kind.as_str() {
            "stream" => &["XRANGE", "-", "+"],
            "zset" => &["ZRANGE", "0", "-1"],
            "hash" => &["HGETALL"],
            "list" => &["LRANGE", "0", "-1"],
            "set" => &["SMEMBERS"],
            "string" => &["GET"],
            other => panic!("unexpected key type {other} for {key}"),
        };
        let mut cmd = redis::cmd(command[0]);
        cmd.arg(&key);
        for arg in &command[1..] {
            cmd.arg(*arg);
        }
        let value: redis::Value = cmd.query_async(&mut conn).await.unwrap();
        dump.push_str(&format!("{key} ({kind}): {value:?}\n"));
    }
    dump
}
