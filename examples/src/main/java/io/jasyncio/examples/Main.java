package io.jasyncio.examples;

public final class Main {
    public static void main(String[] args) {
        System.out.println("placeholder");
    }
}
