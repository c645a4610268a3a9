#pragma once

#include <QString>

namespace keyway {

// Where Keyway keeps its files, and the modes they get. Environments and keyway.conf live in
// <XDG config>/keyway, request history in <XDG state>/keyway/history (history is state: it may be
// lost without losing anything the user configured). Every file Keyway writes is 0600 in 0700
// directories: the files name providers, accounts and endpoints even though secrets stay in the
// keychain.
namespace AppPaths {

// Organisation, application name and version for QSettings and --version; the same in the GUI and the
// CLI so both read one keyway.conf.
void setApplicationIdentity();

// umask 077 for this process, then tightens the modes of Keyway's existing directories and files
// (installs from before this rule). Call once at startup, before anything is written.
void restrictFileModes();

// $XDG_STATE_HOME/keyway, or ~/.local/state/keyway when XDG_STATE_HOME is unset or relative.
QString stateDirectory();
// <GenericConfigLocation>/keyway
QString configDirectory();
// <GenericDataLocation>/keyway (history lived here before it moved to the state directory)
QString dataDirectory();

// mkpath, then 0700 on the leaf directory. False if it cannot be created.
bool makePrivateDirectory(const QString& path);
// 0600 on an existing file; a missing file is fine.
void makePrivateFile(const QString& path);

} // namespace AppPaths

// Short forms for core code that only needs these two.
inline bool makePrivateDirectory(const QString& path)
{
    return AppPaths::makePrivateDirectory(path);
}
inline void makePrivateFile(const QString& path)
{
    AppPaths::makePrivateFile(path);
}

} // namespace keyway
