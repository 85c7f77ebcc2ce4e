// MariaDB Connector/C, with small inline wrappers for what Swift cannot call directly:
// `mysql_library_init` is a macro and `mysql_options` takes its value through `const void *`.
#ifndef DECISIONING_CMARIADB_SHIM_H
#define DECISIONING_CMARIADB_SHIM_H

#include <stddef.h>
#include <mysql.h>
#include <errmsg.h>

// MYSQL_CLIENT_AUTHENTICATION_PLUGIN from <mysql/client_plugin.h>, which Debian's libmariadb-dev
// ships unusable (it includes the connector's private ma_compress.h); mysql.h declares
// mysql_client_find_plugin itself.
static const int decisioning_client_authentication_plugin = 2;

static inline int decisioning_mysql_library_init(void) {
    return mysql_library_init(0, NULL, NULL);
}

static inline int decisioning_mysql_set_uint(MYSQL *mysql, enum mysql_option option, unsigned int value) {
    return mysql_options(mysql, option, &value);
}

static inline int decisioning_mysql_set_bool(MYSQL *mysql, enum mysql_option option, int value) {
    my_bool flag = value ? 1 : 0;
    return mysql_options(mysql, option, &flag);
}

static inline int decisioning_mysql_set_string(MYSQL *mysql, enum mysql_option option, const char *value) {
    return mysql_options(mysql, option, value);
}

static inline int decisioning_stmt_set_update_max_length(MYSQL_STMT *stmt, int value) {
    my_bool flag = value ? 1 : 0;
    return mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &flag);
}

#endif
