# bash completion for keyway, the desktop app (keyway-cli's is written by `keyway-cli completion bash`)
#                                                                              -*- shell-script -*-
_keyway()
{
    local cur prev words cword
    _init_completion || return
    case $prev in
        -e|--environment)
            COMPREPLY=($(compgen -W "$(keyway-cli env list 2>/dev/null | awk 'NF { print $1 }')" -- "$cur"))
            return ;;
    esac
    COMPREPLY=($(compgen -W "-e --environment -h --help --help-all -v --version" -- "$cur"))
}
complete -F _keyway keyway
