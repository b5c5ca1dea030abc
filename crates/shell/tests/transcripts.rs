//! The shell as a person sees it: lines typed into a fresh terminal on kafka-1,
//! the screen as plain text. Each expectation was checked against bash 5.2 and
//! GNU coreutils (or Kafka's distribution, for its files).

use expect_test::{expect, Expect};
use shell::transcript::run;
use shell::PlaygroundConfig;

fn check(typed: &str, expected: Expect) {
    let screen = run(PlaygroundConfig::default(), typed);
    expected.assert_eq(&screen);
}

#[test]
fn a_fresh_terminal_starts_in_the_book_distribution() {
    check(
        "pwd\nls\nls ~",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# pwd
            /root/kafka_2.8.0-0.8.0
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls
            LICENSE  NOTICE  bin  config  kafka_2.8.0-0.8.0.jar  libs
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls ~
            kafka_2.13-2.8.2  kafka_2.8.0-0.8.0
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn quoting_and_escapes() {
    check(
        r#"echo 'it''s' "a \"q\" \$x \\ \` b" a\ b c\\d
echo "$HOME" '$HOME' \$HOME "~" ~ ~/x
echo a\
b
echo "two
lines""#,
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo 'it''s' "a \"q\" \$x \\ \` b" a\ b c\\d
            its a "q" $x \ ` b a b c\d
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo "$HOME" '$HOME' \$HOME "~" ~ ~/x
            /root $HOME $HOME ~ /root /root/x
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo a\
            > b
            ab
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo "two
            > lines"
            two
            lines
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn lists_and_exit_statuses() {
    check(
        "echo one; echo two && echo three || echo four\nfalse && echo no; echo status=$?\n! true; echo $?\nnope; echo $?\ntrue || echo skipped; echo $?",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo one; echo two && echo three || echo four
            one
            two
            three
            root@kafka-1:~/kafka_2.8.0-0.8.0# false && echo no; echo status=$?
            status=1
            root@kafka-1:~/kafka_2.8.0-0.8.0# ! true; echo $?
            1
            root@kafka-1:~/kafka_2.8.0-0.8.0# nope; echo $?
            bash: nope: command not found
            127
            root@kafka-1:~/kafka_2.8.0-0.8.0# true || echo skipped; echo $?
            0
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn pipes_and_redirections() {
    check(
        "echo a | cat | cat -n\nls nope 2> /tmp/err; cat /tmp/err\nls nope > /tmp/out 2>&1; echo x >> /tmp/out; cat /tmp/out\ncat < /tmp/nothing\necho hi > /\ncat <<< 'here string'\nls -d bin config | cat",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo a | cat | cat -n
                 1	a
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls nope 2> /tmp/err; cat /tmp/err
            ls: cannot access 'nope': No such file or directory
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls nope > /tmp/out 2>&1; echo x >> /tmp/out; cat /tmp/out
            ls: cannot access 'nope': No such file or directory
            x
            root@kafka-1:~/kafka_2.8.0-0.8.0# cat < /tmp/nothing
            bash: /tmp/nothing: No such file or directory
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo hi > /
            bash: /: Is a directory
            root@kafka-1:~/kafka_2.8.0-0.8.0# cat <<< 'here string'
            here string
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls -d bin config | cat
            bin
            config
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn variables_substitution_and_arithmetic() {
    check(
        "X=5; export Y=6; echo $X $Y $((X * Y + 1)) ${#HOME} ${UNSET:-default}\necho $(echo a; echo b) \"$(echo a; echo b)\" `echo back`tick\nA=1 env | cat > /tmp/env; echo $A\necho ${x:?not set}\necho $((1/0))\nexport 1x=2",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# X=5; export Y=6; echo $X $Y $((X * Y + 1)) ${#HOME} ${UNSET:-default}
            5 6 31 5 default
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo $(echo a; echo b) "$(echo a; echo b)" `echo back`tick
            a b a
            b backtick
            root@kafka-1:~/kafka_2.8.0-0.8.0# A=1 env | cat > /tmp/env; echo $A

            root@kafka-1:~/kafka_2.8.0-0.8.0# echo ${x:?not set}
            bash: x: not set
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo $((1/0))
            bash: 1/0: division by 0 (error token is "0")
            root@kafka-1:~/kafka_2.8.0-0.8.0# export 1x=2
            bash: export: `1x=2': not a valid identifier
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn globs_and_compound_commands() {
    check(
        "for f in config/*.properties; do echo \"-> $f\"; done\nif ls nope 2>/dev/null; then echo yes; else echo no; fi\nwhile false; do echo never; done; echo done\necho bin/kafka-*-topic.sh\necho nothing*matches",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# for f in config/*.properties; do echo "-> $f"; done
            -> config/consumer.properties
            -> config/log4j.properties
            -> config/producer.properties
            -> config/server.properties
            -> config/test-log4j.properties
            -> config/tools-log4j.properties
            -> config/zookeeper.properties
            root@kafka-1:~/kafka_2.8.0-0.8.0# if ls nope 2>/dev/null; then echo yes; else echo no; fi
            no
            root@kafka-1:~/kafka_2.8.0-0.8.0# while false; do echo never; done; echo done
            done
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo bin/kafka-*-topic.sh
            bin/kafka-create-topic.sh bin/kafka-list-topic.sh
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo nothing*matches
            nothing*matches
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn continuation_prompts_and_syntax_errors() {
    check(
        "echo hi |\ncat\necho \"open\n^C\necho $?\nbin/kafka-console-producer.sh --broker`list localhost:9092 --topic kafkatopic\n^D\necho ${\n}\n;;\necho (\nif true; then fi\nfor 1 in a; do echo; done",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo hi |
            > cat
            hi
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo "open
            > ^C
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo $?
            130
            root@kafka-1:~/kafka_2.8.0-0.8.0# bin/kafka-console-producer.sh --broker`list localhost:9092 --topic kafkatopic
            > bash: unexpected EOF while looking for matching ``'
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo ${
            > }
            bash: ${
            }: bad substitution
            root@kafka-1:~/kafka_2.8.0-0.8.0# ;;
            bash: syntax error near unexpected token `;;'
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo (
            bash: syntax error near unexpected token `newline'
            root@kafka-1:~/kafka_2.8.0-0.8.0# if true; then fi
            bash: syntax error near unexpected token `fi'
            root@kafka-1:~/kafka_2.8.0-0.8.0# for 1 in a; do echo; done
            bash: `1': not a valid identifier
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn jobs_sleep_and_virtual_time() {
    check(
        "date\nsleep 1 & sleep 2 &\njobs\nkill %1\njobs\nwait\ndate\nsleep 3 &\nfg\nsleep 1m\ndate +%T\nsleep\nsleep abc",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# date
            Tue Oct  1 00:00:00 UTC 2013
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep 1 & sleep 2 &
            [1] 3829
            [2] 3830
            root@kafka-1:~/kafka_2.8.0-0.8.0# jobs
            [1]-  Running                 sleep 1 &
            [2]+  Running                 sleep 2 &
            root@kafka-1:~/kafka_2.8.0-0.8.0# kill %1
            root@kafka-1:~/kafka_2.8.0-0.8.0# jobs
            [1]-  Terminated              sleep 1
            [2]+  Running                 sleep 2 &
            root@kafka-1:~/kafka_2.8.0-0.8.0# wait
            root@kafka-1:~/kafka_2.8.0-0.8.0# date
            Tue Oct  1 00:00:02 UTC 2013
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep 3 &
            [1] 3831
            root@kafka-1:~/kafka_2.8.0-0.8.0# fg
            sleep 3
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep 1m
            root@kafka-1:~/kafka_2.8.0-0.8.0# date +%T
            00:01:05
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep
            sleep: missing operand
            Try 'sleep --help' for more information.
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep abc
            sleep: invalid time interval 'abc'
            Try 'sleep --help' for more information.
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn a_background_job_is_reported_done_before_the_next_prompt() {
    check(
        "sleep 1 &\nsleep 2\necho next",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep 1 &
            [1] 3829
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep 2
            [1]+  Done                    sleep 1
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo next
            next
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn a_command_reading_the_terminal_gets_typed_lines_until_ctrl_d() {
    check(
        "cat\nfirst line\nsecond line\n^D\necho $?\ncat -n\nnumbered\n^C\necho $?",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# cat
            first line
            first line
            second line
            second line
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo $?
            0
            root@kafka-1:~/kafka_2.8.0-0.8.0# cat -n
            numbered
                 1	numbered
            ^C
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo $?
            130
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn files_and_directories() {
    check(
        "cd ..; pwd; cd -; cd; pwd\ncd /nonexist\ncd kafka_2.8.0-0.8.0/config/server.properties\ncd a b\ncat nope config\ncat kafka_2.8.0-0.8.0/libs/zookeeper-3.3.4.jar\ncd kafka_2.13-2.8.2 && ls && ls config/kraft",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# cd ..; pwd; cd -; cd; pwd
            /root
            /root/kafka_2.8.0-0.8.0
            /root
            root@kafka-1:~# cd /nonexist
            bash: cd: /nonexist: No such file or directory
            root@kafka-1:~# cd kafka_2.8.0-0.8.0/config/server.properties
            bash: cd: kafka_2.8.0-0.8.0/config/server.properties: Not a directory
            root@kafka-1:~# cd a b
            bash: cd: too many arguments
            root@kafka-1:~# cat nope config
            cat: nope: No such file or directory
            cat: config: No such file or directory
            root@kafka-1:~# cat kafka_2.8.0-0.8.0/libs/zookeeper-3.3.4.jar
            cat: kafka_2.8.0-0.8.0/libs/zookeeper-3.3.4.jar: binary of the real distribution, not stored in this playground
            root@kafka-1:~# cd kafka_2.13-2.8.2 && ls && ls config/kraft
            LICENSE  NOTICE  bin  config  libs  licenses  site-docs
            README.md  broker.properties  controller.properties  server.properties
            root@kafka-1:~/kafka_2.13-2.8.2# "#]],
    );
}

#[test]
fn ls_long_format_and_options() {
    check(
        "ls -l\nls -la /tmp\nls -lh config/server.properties\nls -1 bin/windows\nls -z\nls --nope\nls -F",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls -l
            total 28
            -rw-r--r-- 1 root root 11358 Oct  1 00:00 LICENSE
            -rw-r--r-- 1 root root   162 Oct  1 00:00 NOTICE
            drwxr-xr-x 3 root root  4096 Oct  1 00:00 bin
            drwxr-xr-x 2 root root  4096 Oct  1 00:00 config
            -rw-r--r-- 1 root root     ? Oct  1 00:00 kafka_2.8.0-0.8.0.jar
            drwxr-xr-x 2 root root  4096 Oct  1 00:00 libs
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls -la /tmp
            total 8
            drwxrwxrwt  2 root root 4096 Oct  1 00:00 .
            drwxr-xr-x 11 root root 4096 Oct  1 00:00 ..
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls -lh config/server.properties
            -rw-r--r-- 1 root root 4.7K Oct  1 00:00 config/server.properties
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls -1 bin/windows
            kafka-console-consumer.bat
            kafka-console-producer.bat
            kafka-run-class.bat
            kafka-server-start.bat
            kafka-server-stop.bat
            zookeeper-server-start.bat
            zookeeper-server-stop.bat
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls -z
            ls: invalid option -- 'z'
            Try 'ls --help' for more information.
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls --nope
            ls: unrecognized option '--nope'
            Try 'ls --help' for more information.
            root@kafka-1:~/kafka_2.8.0-0.8.0# ls -F
            LICENSE  NOTICE  bin/  config/  kafka_2.8.0-0.8.0.jar  libs/
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn kafka_scripts_not_built_yet_say_so_and_exit_127() {
    check(
        "bin/kafka-create-topic.sh --topic test; echo $?\nkafka-list-topic.sh\nbin/windows/kafka-server-start.bat\nbin\n./nope.sh",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# bin/kafka-create-topic.sh --topic test; echo $?
            bin/kafka-create-topic.sh: not yet available in this playground
            127
            root@kafka-1:~/kafka_2.8.0-0.8.0# kafka-list-topic.sh
            bash: kafka-list-topic.sh: command not found
            hint: the Kafka scripts are in bin/: try bin/kafka-list-topic.sh
            root@kafka-1:~/kafka_2.8.0-0.8.0# bin/windows/kafka-server-start.bat
            bash: bin/windows/kafka-server-start.bat: Permission denied
            root@kafka-1:~/kafka_2.8.0-0.8.0# bin
            bash: bin: command not found
            root@kafka-1:~/kafka_2.8.0-0.8.0# ./nope.sh
            bash: ./nope.sh: No such file or directory
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn history_echo_options_and_exit() {
    check(
        "echo -n no-newline; echo\necho -e 'a\\tb\\nc'\n echo hidden from history\nhistory\nexit 3\necho never",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo -n no-newline; echo
            no-newline
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo -e 'a\tb\nc'
            a	b
            c
            root@kafka-1:~/kafka_2.8.0-0.8.0#  echo hidden from history
            hidden from history
            root@kafka-1:~/kafka_2.8.0-0.8.0# history
                1  echo -n no-newline; echo
                2  echo -e 'a\tb\nc'
                3  history
            root@kafka-1:~/kafka_2.8.0-0.8.0# exit 3
            exit
            "#]],
    );
}

#[test]
fn text_tools_grep_head_tail_wc() {
    check(
        "grep -v '^#' config/zookeeper.properties\ngrep -n -i ZOOKEEPER config/consumer.properties config/producer.properties\ngrep -c port config/server.properties\ngrep nomatch config/server.properties; echo $?\ngrep -E 'num\\.(io|network)' config/server.properties\nhead -2 config/zookeeper.properties\ntail -n 1 config/zookeeper.properties\nwc -l config/*.properties | tail -1\ncat config/zookeeper.properties | wc\ngrep x nofile; echo $?",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# grep -v '^#' config/zookeeper.properties
            dataDir=/tmp/zookeeper
            clientPort=2181
            maxClientCnxns=0
            root@kafka-1:~/kafka_2.8.0-0.8.0# grep -n -i ZOOKEEPER config/consumer.properties config/producer.properties
            config/consumer.properties:3:zookeeper.connect=127.0.0.1:2181
            config/consumer.properties:4:zookeeper.connection.timeout.ms=1000000
            root@kafka-1:~/kafka_2.8.0-0.8.0# grep -c port config/server.properties
            5
            root@kafka-1:~/kafka_2.8.0-0.8.0# grep nomatch config/server.properties; echo $?
            1
            root@kafka-1:~/kafka_2.8.0-0.8.0# grep -E 'num\.(io|network)' config/server.properties
            num.network.threads=2
            num.io.threads=2
            root@kafka-1:~/kafka_2.8.0-0.8.0# head -2 config/zookeeper.properties
            # Licensed to the Apache Software Foundation (ASF) under one or more
            # contributor license agreements.  See the NOTICE file distributed with
            root@kafka-1:~/kafka_2.8.0-0.8.0# tail -n 1 config/zookeeper.properties
            maxClientCnxns=0
            root@kafka-1:~/kafka_2.8.0-0.8.0# wc -l config/*.properties | tail -1
              219 total
            root@kafka-1:~/kafka_2.8.0-0.8.0# cat config/zookeeper.properties | wc
                 20     162    1023
            root@kafka-1:~/kafka_2.8.0-0.8.0# grep x nofile; echo $?
            grep: nofile: No such file or directory
            2
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn file_tools_and_a_script_of_ones_own() {
    check(
        "mkdir /tmp/a/b\nmkdir -p /tmp/a/b && ls /tmp/a\ncp config/server.properties config/server-1.properties && ls config | grep server\ncp config /tmp\ncp -r config /tmp/c && mv /tmp/c /tmp/d && ls /tmp\nrm /tmp/d\nrm -rf /tmp/d /tmp/a; ls /tmp\necho 'echo \"script says $1\"' > /tmp/s.sh; /tmp/s.sh\nchmod +x /tmp/s.sh; /tmp/s.sh hello; ls -l /tmp\n[ -f /tmp/s.sh ] && [ ! -d /tmp/s.sh ] && echo file\n[ 3 -gt x ]\ntail -f /tmp/s.sh &\necho appended >> /tmp/s.sh\nsleep 2\nkill %1",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# mkdir /tmp/a/b
            mkdir: cannot create directory '/tmp/a/b': No such file or directory
            root@kafka-1:~/kafka_2.8.0-0.8.0# mkdir -p /tmp/a/b && ls /tmp/a
            b
            root@kafka-1:~/kafka_2.8.0-0.8.0# cp config/server.properties config/server-1.properties && ls config | grep server
            server-1.properties
            server.properties
            root@kafka-1:~/kafka_2.8.0-0.8.0# cp config /tmp
            cp: -r not specified; omitting directory 'config'
            root@kafka-1:~/kafka_2.8.0-0.8.0# cp -r config /tmp/c && mv /tmp/c /tmp/d && ls /tmp
            a  d
            root@kafka-1:~/kafka_2.8.0-0.8.0# rm /tmp/d
            rm: cannot remove '/tmp/d': Is a directory
            root@kafka-1:~/kafka_2.8.0-0.8.0# rm -rf /tmp/d /tmp/a; ls /tmp
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo 'echo "script says $1"' > /tmp/s.sh; /tmp/s.sh
            bash: /tmp/s.sh: Permission denied
            root@kafka-1:~/kafka_2.8.0-0.8.0# chmod +x /tmp/s.sh; /tmp/s.sh hello; ls -l /tmp
            script says hello
            total 4
            -rwxr-xr-x 1 root root 22 Oct  1 00:00 s.sh
            root@kafka-1:~/kafka_2.8.0-0.8.0# [ -f /tmp/s.sh ] && [ ! -d /tmp/s.sh ] && echo file
            file
            root@kafka-1:~/kafka_2.8.0-0.8.0# [ 3 -gt x ]
            bash: [: x: integer expression expected
            root@kafka-1:~/kafka_2.8.0-0.8.0# tail -f /tmp/s.sh &
            [1] 3829
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo "script says $1"
            echo appended >> /tmp/s.sh
            root@kafka-1:~/kafka_2.8.0-0.8.0# sleep 2
            appended
            root@kafka-1:~/kafka_2.8.0-0.8.0# kill %1
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn an_endless_loop_stops_at_ctrl_c() {
    check(
        "while true; do :; done\n^C\necho $?",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# while true; do :; done
            ^C
            root@kafka-1:~/kafka_2.8.0-0.8.0# echo $?
            130
            root@kafka-1:~/kafka_2.8.0-0.8.0# "#]],
    );
}

#[test]
fn kafka_server_scripts_usage_and_nothing_to_stop() {
    check(
        "bin/kafka-server-start.sh; echo $?\nbin/kafka-server-start.sh -daemon config/server.properties; echo $?\ncd ../kafka_2.13-2.8.2\nbin/kafka-server-start.sh; echo $?\nSIGNAL=KILL bin/kafka-server-stop.sh; echo $?",
        expect![[r#"
            root@kafka-1:~/kafka_2.8.0-0.8.0# bin/kafka-server-start.sh; echo $?
            USAGE: bin/kafka-server-start.sh server.properties
            1
            root@kafka-1:~/kafka_2.8.0-0.8.0# bin/kafka-server-start.sh -daemon config/server.properties; echo $?
            USAGE: java [options] KafkaServer server.properties
            1
            root@kafka-1:~/kafka_2.8.0-0.8.0# cd ../kafka_2.13-2.8.2
            root@kafka-1:~/kafka_2.13-2.8.2# bin/kafka-server-start.sh; echo $?
            USAGE: bin/kafka-server-start.sh [-daemon] server.properties [--override property=value]*
            1
            root@kafka-1:~/kafka_2.13-2.8.2# SIGNAL=KILL bin/kafka-server-stop.sh; echo $?
            No kafka server to stop
            1
            root@kafka-1:~/kafka_2.13-2.8.2# "#]],
    );
}
