from django.db import migrations

# The texts of one language as the indexer (catalog.search.indexing._lexical_sql) parses them
# for `search_vector`, as of this migration: name; keywords and code-list labels; the region's
# summary or the source's; description, how-to-start, requirements and the accessibility
# sentences of the service's places. Finnish is left out: the catalog is Finnish first, and
# catalog_searchlexeme's counts are Finnish counts already.
_TEXT = (
    "concat_ws(' ', s.name_{lang}, array_to_string(s.keywords_{lang}, ' '), "
    "(select string_agg(c.name_{lang}, ' ') from {schema}.catalog_service_concepts sc "
    "join {schema}.catalog_concept c on c.id = sc.concept_id where sc.service_id = s.id), "
    "coalesce(nullif((select u.summary_{lang} from {schema}.catalog_servicecuration u where u.service_id = s.id), ''), "
    "s.summary_{lang}), "
    "s.description_{lang}, s.user_instruction_{lang}, s.requirements_{lang}, "
    "(select string_agg(e -> 'sentence' ->> '{lang}', ' ') from {schema}.catalog_service_channels sch "
    "join {schema}.catalog_servicechannel ch on ch.id = sch.servicechannel_id "
    "cross join jsonb_array_elements(ch.accessibility_sentences) e where sch.service_id = s.id))"
)
_CONFIGS = {"swedish": "sv", "english": "en"}


def create_view(apps, schema_editor):
    from psycopg import sql

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("select current_schema()")
        schema = cursor.fetchone()[0]
        quoted_schema = sql.Identifier(schema).as_string(connection.connection)
        parts = []
        for config, lang in _CONFIGS.items():
            # ts_stat runs its query text later, under REFRESH's restricted search_path: the
            # table names inside it must carry their schema (as in 0006).
            inner = "select to_tsvector('{config}', {text}) from {schema}.catalog_service s where s.is_public".format(
                config=config, text=_TEXT.format(lang=lang, schema=quoted_schema), schema=quoted_schema
            )
            parts.append(
                sql.SQL("select {config}::text as config, word as lexeme, ndoc from ts_stat({inner})").format(
                    config=sql.Literal(config), inner=sql.Literal(inner)
                )
            )
        statement = sql.SQL("create materialized view catalog_searchlexemelanguage as {}").format(
            sql.SQL(" union all ").join(parts)
        )
        cursor.execute(statement.as_string(connection.connection))
        cursor.execute(
            "create unique index catalog_searchlexemelanguage_idx on catalog_searchlexemelanguage (config, lexeme)"
        )


class Migration(migrations.Migration):
    """How many public services hold each lexeme in their Swedish and in their English texts.

    catalog_searchlexeme counts a lexeme over every language at once, and the snowball stems of
    different languages collide: Swedish "sova" stems to "sov", and so do Finnish "sovitaan" and
    "sovittu" (in 18 of the demo's services), so "jag kan inte sova" matched those texts. The
    search leaves such words to their synonyms (catalog.search.query.foreign_words).
    """

    dependencies = [("catalog", "0023_search_head_inline")]
    operations = [
        migrations.RunPython(
            create_view,
            lambda apps, schema_editor: schema_editor.execute(
                "drop materialized view if exists catalog_searchlexemelanguage"
            ),
        ),
    ]
