# Embeds migrations/*.sql into a generated C++ table so the binary can migrate on its own.
function(vicugna_embed_migrations target)
  file(GLOB sql_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/migrations/*.sql)
  list(SORT sql_files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_migrations.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DFILES=${sql_files}" -P ${PROJECT_SOURCE_DIR}/cmake/write_migrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/write_migrations.cmake
    COMMENT "Embedding migrations"
    VERBATIM)  # quotes the ;-separated file list for the shell
  target_sources(${target} PRIVATE ${out})
endfunction()
