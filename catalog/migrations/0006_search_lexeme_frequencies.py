from django.db import migrations


def create_view(apps, schema_editor):
    from psycopg import sql

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("select current_schema()")
        schema = cursor.fetchone()[0]
        # ts_stat runs its query text later, under REFRESH's restricted search_path:
        # the table name inside it must carry its schema.
        inner = sql.SQL("select search_vector from {}.catalog_service where is_public and search_vector is not null").format(
            sql.Identifier(schema)
        )
        inner_text = inner.as_string(schema_editor.connection.connection)
        statement = sql.SQL(
            "create materialized view catalog_searchlexeme as select word as lexeme, ndoc from ts_stat({})"
        ).format(sql.Literal(inner_text))
        cursor.execute(statement.as_string(schema_editor.connection.connection))
        cursor.execute("create unique index catalog_searchlexeme_lexeme_idx on catalog_searchlexeme (lexeme)")


class Migration(migrations.Migration):
    """How many public services each full-text lexeme occurs in (lexical search skips very common words)."""

    dependencies = [("catalog", "0005_search_head_index")]
    operations = [
        migrations.RunPython(create_view, lambda apps, schema_editor: schema_editor.execute(
            "drop materialized view if exists catalog_searchlexeme"
        )),
    ]
