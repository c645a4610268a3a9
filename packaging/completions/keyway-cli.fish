# fish completion for keyway-cli

function __keyway_environments
    keyway-cli env list 2>/dev/null | awk 'NF { print $1 }'
end

function __keyway_providers
    keyway-cli providers 2>/dev/null | awk '/^[^ ]/ { print $1 }'
end

set -l commands providers env auth call check conform webhook sandbox help
complete -c keyway-cli -f
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -l help -d 'Show the usage'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -l version -d 'Show the version'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a providers -d 'List the provider profiles'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a env -d 'Add, list, show or remove environments'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a auth -d 'Run the auth flow of an environment'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a call -d 'Send an authenticated request'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a check -d 'Check that the credentials work'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a conform -d 'Run the conformance checks'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a webhook -d 'Verify a webhook signature'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a sandbox -d 'Run the sandbox providers'
complete -c keyway-cli -n "not __fish_seen_subcommand_from $commands" -a help -d 'Show the usage'

complete -c keyway-cli -n "__fish_seen_subcommand_from env; and not __fish_seen_subcommand_from add list show rm" -a 'add list show rm'
complete -c keyway-cli -n "__fish_seen_subcommand_from show rm auth call check conform verify" -a '(__keyway_environments)'
complete -c keyway-cli -n "__fish_seen_subcommand_from webhook; and not __fish_seen_subcommand_from verify" -a verify
complete -c keyway-cli -n "__fish_seen_subcommand_from add" -l provider -x -a '(__keyway_providers)' -d 'Provider id'
complete -c keyway-cli -n "__fish_seen_subcommand_from add" -l base-url -x -d 'Base URL'
complete -c keyway-cli -n "__fish_seen_subcommand_from add" -l set -x -d 'KEY=VALUE'
complete -c keyway-cli -n "__fish_seen_subcommand_from add" -l secret -x -d 'Secret field KEY'
complete -c keyway-cli -n "__fish_seen_subcommand_from providers list show auth call check conform sandbox" -l json -d 'JSON output'
complete -c keyway-cli -n "__fish_seen_subcommand_from auth call check" -l credentials -x -d 'Credential set'
complete -c keyway-cli -n "__fish_seen_subcommand_from auth call check conform" -l no-browser -d 'Print the URL instead of opening a browser'
complete -c keyway-cli -n "__fish_seen_subcommand_from call" -s d -r -d 'Body or @FILE'
complete -c keyway-cli -n "__fish_seen_subcommand_from call" -s H -x -d 'Header "Name: value"'
complete -c keyway-cli -n "__fish_seen_subcommand_from call" -s i -d 'Show the response headers'
complete -c keyway-cli -n "__fish_seen_subcommand_from verify" -l signature -x -d 'The signature header'
complete -c keyway-cli -n "__fish_seen_subcommand_from verify" -l body -r -d 'Body or @FILE'
complete -c keyway-cli -n "__fish_seen_subcommand_from sandbox" -l port -x -d 'Port'
complete -c keyway-cli -n "__fish_seen_subcommand_from sandbox" -l time-scale -x -d 'Time scale'
