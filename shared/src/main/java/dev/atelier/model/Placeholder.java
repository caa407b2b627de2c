package dev.atelier.model; final class Placeholder {}
