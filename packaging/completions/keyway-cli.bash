# bash completion for keyway-cli and keyway                                  -*- shell-script -*-

_keyway_cli_environments()
{
    keyway-cli env list 2>/dev/null | awk 'NF { print $1 }'
}

_keyway_cli()
{
    local cur prev words cword
    _init_completion || return

    local commands="providers env auth call check conform webhook sandbox help"
    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    case $prev in
        --provider)
            COMPREPLY=($(compgen -W "$(keyway-cli providers 2>/dev/null | awk '/^[^ ]/ { print $1 }')" -- "$cur"))
            return ;;
        -d|--body)
            [[ $cur == @* ]] && COMPREPLY=($(compgen -P @ -f -- "${cur#@}"))
            return ;;
        --base-url|--set|--secret|--credentials|--signature|--port|--time-scale|-H)
            return ;;
    esac

    local command=${words[1]} options=""
    case $command in
        providers) options="--json" ;;
        env)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "add list show rm" -- "$cur"))
                return
            fi
            case ${words[2]} in
                add) options="--provider --base-url --set --secret" ;;
                list) options="--json" ;;
                show|rm)
                    options="--json"
                    [[ $cword -eq 3 ]] && options="$(_keyway_cli_environments)" ;;
            esac ;;
        auth|check|conform|call)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "$(_keyway_cli_environments)" -- "$cur"))
                return
            fi
            case $command in
                auth|check) options="--credentials --no-browser --json" ;;
                conform) options="--no-browser --json" ;;
                call)
                    if [[ $cword -eq 3 ]]; then
                        COMPREPLY=($(compgen -W "GET POST PUT PATCH DELETE HEAD OPTIONS" -- "$cur"))
                        return
                    fi
                    options="-d -H --credentials --no-browser -i --json" ;;
            esac ;;
        webhook)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "verify" -- "$cur"))
                return
            fi
            [[ $cword -eq 3 ]] && options="$(_keyway_cli_environments)" || options="--signature --body" ;;
        sandbox) options="--port --time-scale --json" ;;
    esac
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
}
complete -F _keyway_cli keyway-cli

_keyway()
{
    local cur prev words cword
    _init_completion || return
    case $prev in
        -e|--environment)
            COMPREPLY=($(compgen -W "$(_keyway_cli_environments)" -- "$cur"))
            return ;;
    esac
    COMPREPLY=($(compgen -W "-e --environment -h --help --help-all -v --version" -- "$cur"))
}
complete -F _keyway keyway
