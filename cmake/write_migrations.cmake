# Script mode: writes OUT, a .cpp defining vicugna::db::embedded_migrations() from FILES.
# Raw string literals carry the SQL verbatim; the delimiter never occurs in SQL.
set(body "// Generated from migrations/*.sql; do not edit.\n#include \"db/migrate.hpp\"\n")
string(APPEND body "namespace vicugna::db {\nconst std::vector<MigrationFile>& embedded_migrations() {\n")
string(APPEND body "    static const std::vector<MigrationFile> files = {\n")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  file(READ ${f} sql)
  string(APPEND body "        {\"${name}\", R\"vicugna_sql(${sql})vicugna_sql\"},\n")
endforeach()
string(APPEND body "    };\n    return files;\n}\n}  // namespace vicugna::db\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
