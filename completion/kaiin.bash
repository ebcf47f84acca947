# bash completion for kaiin's programs: kaiin-conv, kaiin-check, kaiin-fix,
# kaiin-split, kaiin-crosspoint, kaiin-points, kaiin-tags, kaiin-crm and kaiin-find.
#
# Installed once per program name in share/bash-completion/completions/, where
# bash-completion loads it on first use; without bash-completion, source it from
# ~/.bashrc. It needs nothing of bash-completion's own functions.
#
# Options, their closed sets of values and the subcommands are listed here; a test
# (tests/cli/test_completion.py) fails when a long option of a program's --help is
# missing. Profile names come from the program itself (--list-profiles), so that
# the installed data folder, KAIIN_DATADIR and a build's data/ all answer right.

# The options of program $1 (subcommand $2, or "" for the program's own).
_kaiin_options() {
    local common="-h --help --version --report -q --quiet --max-errors --all --escape-formulas"
    # What kaiin-points and kaiin-tags take before their subcommand and after it.
    local report="--report -q --quiet --max-errors --all --escape-formulas"
    local points="$report -f --from --profile --list-profiles" tags="$report -v --verbose"
    case "$1 $2" in
        "kaiin-conv ")
            echo "$common -f --from -t --to --fold --replace --newline -o --output" ;;
        "kaiin-check ")
            echo "$common --profile --list-profiles --current --ranks --today -f --from -o --output" ;;
        "kaiin-fix ")
            echo "$common --changes --dry-run --fold --profile --list-profiles --current --ranks --today -f --from" \
                 "-o --output" ;;
        "kaiin-split ")
            echo "$common --by -d --dir --prefix --subscribed-only --profile --list-profiles -f --from -o --output" ;;
        "kaiin-crosspoint ")
            echo "$common --merge-plan --map --ranks --sanitize -t --to --newline --fold --replace --profile" \
                 "--list-profiles -f --from -o --output" ;;
        "kaiin-points ")
            echo "-h --help --version $points" ;;
        "kaiin-points check")
            echo "-h --help --members $points" ;;
        "kaiin-points diff")
            echo "-h --help -o --output --reason --max-rows -t --to $points" ;;
        "kaiin-tags ")
            echo "-h --help --version $tags --list-profiles" ;;
        "kaiin-tags check")
            echo "-h --help $tags" ;;
        "kaiin-tags apply")
            echo "-h --help --rules --members --current --tags --today --wait --profile -f --from -o --output $tags" ;;
        "kaiin-crm ")
            echo "-h --help --version --report -q --quiet --max-errors --all -v --verbose --members --orders -d --dir" \
                 "--previous --shipped-on --shipped-since --today --shared-address --all-orders -t --to -f --from" \
                 "--profile --list-profiles --order-profile --list-order-profiles --lock --wait" ;;
        "kaiin-find ")
            echo "$common --members --orders --addresses --column --format --quiet-missing -f --from --profile" \
                 "--list-profiles --order-profile --list-order-profiles -o --output" ;;
    esac
}

# The subcommands of program $1.
_kaiin_subcommands() {
    case "$1" in
        kaiin-points) echo "check diff" ;;
        kaiin-tags) echo "check apply" ;;
    esac
}

# Files (and folders to go into) starting with $1, one a line in COMPREPLY.
_kaiin_files() {
    local IFS=$'\n'
    COMPREPLY+=($(compgen -f -- "$1"))
    compopt -o filenames 2>/dev/null
}

_kaiin() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" prog="${COMP_WORDS[0]##*/}"
    ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"
    # --opt=value: bash splits it at '=' (COMP_WORDBREAKS).
    if [[ $cur == "=" ]]; then
        cur=""
    fi
    if [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
        prev="${COMP_WORDS[COMP_CWORD - 2]}"
    fi
    COMPREPLY=()

    # The subcommand given so far, if any: a word that names one.
    local sub="" word i
    local subs
    subs=$(_kaiin_subcommands "$prog")
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ -n $subs && " $subs " == *" $word "* ]]; then
            sub=$word
            break
        fi
    done

    # The value of an option.
    case "$prev" in
        --report)
            COMPREPLY=($(compgen -W "text json csv html" -- "$cur")); return ;;
        -f | --from)
            COMPREPLY=($(compgen -W "auto utf-8 cp932 shift_jis sjis" -- "$cur")); return ;;
        -t | --to)
            COMPREPLY=($(compgen -W "utf-8 utf-8-bom cp932" -- "$cur")); return ;;
        --newline)
            if [[ $prog == kaiin-crosspoint ]]; then
                COMPREPLY=($(compgen -W "crlf lf" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "keep crlf lf" -- "$cur"))
            fi
            return ;;
        --by)
            COMPREPLY=($(compgen -W "action address rows: bytes:" -- "$cur"))
            # rows: and bytes: take a number right after the colon.
            [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *: ]] && compopt -o nospace 2>/dev/null
            return ;;
        --profile)
            # Shipped profiles by name, as this program finds them; else a profile file.
            local names
            names=$("${COMP_WORDS[0]}" --list-profiles 2>/dev/null)
            COMPREPLY=($(compgen -W "$names" -- "$cur"))
            _kaiin_files "$cur"
            return ;;
        --order-profile)
            local names
            names=$("${COMP_WORDS[0]}" --list-order-profiles 2>/dev/null)
            COMPREPLY=($(compgen -W "$names" -- "$cur"))
            _kaiin_files "$cur"
            return ;;
        --format)
            COMPREPLY=($(compgen -W "text json csv" -- "$cur")); return ;;
        --shared-address)
            COMPREPLY=($(compgen -W "error keep-latest" -- "$cur")); return ;;
        --shipped-on | --shipped-since)
            COMPREPLY=($(compgen -W "yesterday" -- "$cur")); return ;;
        -d | --dir)
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null
            return ;;
        --max-errors | --prefix | --today | --reason | --max-rows | --wait | --column)
            return ;;  # free text: nothing to offer
        -o | --output | --replace | --map | --ranks | --current | --members | --rules | --tags | --merge-plan | \
            --changes | --orders | --previous | --lock | --addresses)
            _kaiin_files "$cur"
            return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_kaiin_options "$prog" "$sub")" -- "$cur"))
        return
    fi
    if [[ -n $subs && -z $sub ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        return
    fi
    _kaiin_files "$cur"
}

complete -F _kaiin kaiin-conv kaiin-check kaiin-fix kaiin-split kaiin-crosspoint kaiin-points kaiin-tags kaiin-crm kaiin-find
