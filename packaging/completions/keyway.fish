# fish completion for keyway (the desktop app)
complete -c keyway -f
complete -c keyway -s e -l environment -x -a '(keyway-cli env list 2>/dev/null | awk \'NF { print $1 }\')' -d 'Select the environment NAME'
complete -c keyway -s h -l help -d 'Show the help'
complete -c keyway -l help-all -d 'Show the help, Qt options included'
complete -c keyway -s v -l version -d 'Show the version'
