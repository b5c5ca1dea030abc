@echo off
rem Kafka Playground: Kafka 2.8.2's bin\windows\zookeeper-server-stop.bat, for Windows; it does not run in this Linux shell.
