package cn.bazhong.credit.gateway.web;

import java.io.IOException;

/** The connection failed while the request body was read (the client went away or stopped sending). */
class RequestBodyBroken extends IOException {

    RequestBodyBroken(IOException cause) {
        super("the request body could not be read to its end: " + cause.getClass().getSimpleName(), cause);
    }
}
