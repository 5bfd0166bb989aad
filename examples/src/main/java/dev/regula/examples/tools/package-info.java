/**
 * Data tools: conversion of IDX files to the index CSV + PNG layout, and the generator of the embedded dataset.
 */
@NullMarked
package dev.regula.examples.tools;

import org.jspecify.annotations.NullMarked;
